#include "cli/stress_command.h"

#include <cinttypes>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "alloc/stats.h"
#include "profiler/process_memory.h"

namespace ctxmem::cli {
namespace {

std::string Bytes(double bytes) {
  if (bytes >= 1 << 20) return absl::StrFormat("%.2f MiB", bytes / (1 << 20));
  if (bytes >= 1 << 10) return absl::StrFormat("%.1f KiB", bytes / (1 << 10));
  return absl::StrFormat("%.0f B", bytes);
}

std::string Percent(double ratio) { return absl::StrFormat("%.2f%%", ratio * 100); }

}  // namespace

absl::Status RunStressCommand(const stress::StressOptions& options, std::FILE* out) {
  stress::StressWorkload workload(options);
  return RunStressCommand(workload, out);
}

absl::Status RunStressCommand(stress::StressWorkload& workload, std::FILE* out) {
  alloc::ResetPeak();
  const alloc::AllocationStats heap_before = alloc::GlobalStats();
  const stress::StressReport r = workload.Run();
  const alloc::AllocationStats heap = alloc::GlobalStats();
  const absl::StatusOr<profiler::ProcessMemory> process = profiler::ReadProcessMemory();

  absl::FPrintF(out, "ctxmem stress: %d allocations on %d threads in %.3f s (%.2f M/s), %d requests\n",
                r.allocations, r.threads, r.seconds, r.allocations / r.seconds / 1e6, r.requests);
  absl::FPrintF(out, "  corruption checks: %d failures\n", r.corruptions);
  if (heap.allocations == 0) {
    absl::FPrintF(out, "  tracked heap: tracking not linked\n");
  } else {
    absl::FPrintF(out,
                  "  tracked heap: live %s, peak %s (+%s during the run), %d allocations, "
                  "%d frees, %d threads\n",
                  Bytes(heap.live_bytes), Bytes(heap.peak_bytes),
                  Bytes(heap.peak_bytes - heap_before.live_bytes),
                  heap.allocations - heap_before.allocations,
                  heap.deallocations - heap_before.deallocations, heap.threads);
  }
  absl::FPrintF(out,
                "  request arenas: %d allocations, peak %s used per thread, %s reserved at the "
                "end, %d upstream allocations (%d in the last %d requests)\n",
                r.arena_allocations, Bytes(r.arena_peak_used_bytes), Bytes(r.arena_reserved_bytes),
                r.arena_upstream_allocations, r.arena_upstream_allocations_warm,
                r.arena_warm_requests);
  absl::FPrintF(out, "  generational arenas: %d inserts, %d stale-handle checks\n",
                r.handle_inserts, r.stale_handle_checks);
  absl::FPrintF(out,
                "  object pool: %d acquires, hit rate %s, %d created, %d refused (grown too "
                "large), %d idle\n",
                r.object_pool.acquires(), Percent(r.object_pool.hit_rate()), r.object_pool.created,
                r.object_pool.refused, r.object_pool_idle);
  absl::FPrintF(out, "  buffer pool: %d acquires, hit rate %s, %s idle of a %s budget\n",
                r.buffer_pool.acquires(), Percent(r.buffer_pool.hit_rate()),
                Bytes(r.buffer_pool.idle_bytes), Bytes(r.buffer_pool.max_idle_bytes));
  for (const pool::BufferClassStats& c : r.buffer_pool.classes) {
    absl::FPrintF(out, "    %7s class: %d acquires, hit rate %s, %d re-binned, %d dropped\n",
                  Bytes(c.class_size), c.acquires,
                  Percent(c.acquires == 0 ? 0 : double(c.hits) / c.acquires), c.rebinned,
                  c.dropped);
  }
  if (process.ok()) {
    absl::FPrintF(out, "  process: resident %s (peak %s), anonymous %s, file-backed %s\n",
                  Bytes(process->resident_bytes), Bytes(process->peak_resident_bytes),
                  Bytes(process->anonymous_bytes), Bytes(process->file_bytes));
  } else {
    absl::FPrintF(out, "  process: %s\n", process.status().ToString());
  }
  if (r.corruptions != 0) {
    return absl::DataLossError(absl::StrCat("stress run found ", r.corruptions, " corruptions"));
  }
  return absl::OkStatus();
}

}  // namespace ctxmem::cli
