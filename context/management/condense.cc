#include "context/management/condense.h"

#include <cmath>
#include <utility>
#include <vector>

#include "context/estimate/content_estimate.h"
#include "context/json/js_number.h"
#include "context/json/stringify_json.h"

namespace ctxmem::context {

const char kSummarySystemPrompt[] =
    "You condense a coding conversation between a user and an AI assistant into notes the\n"
    "assistant will work from once the conversation itself is gone.\n"
    "\n"
    "Answer with plain text only. Tools are not available for this request and any tool call\n"
    "will be ignored.\n"
    "\n"
    "The last user message of this request was added by the system to ask for the notes; it\n"
    "is not part of the conversation. When you describe what the user asked for most recently\n"
    "and what should happen next, go by the conversation before that message, so the work can\n"
    "carry on exactly where it stopped.";

const char kDefaultCondenseInstruction[] =
    "Write the notes now. Cover, under short headings:\n"
    "- Goal: what the user wants overall, with their exact words for key requirements.\n"
    "- Decisions and constraints: choices made, conventions agreed, approaches rejected and why.\n"
    "- Files: every file read, created or changed, with the important code, signatures or\n"
    "  diffs quoted.\n"
    "- Problems: errors met, what fixed them, what is still failing.\n"
    "- State of the work: what was being done in the last few turns, quoted where it matters.\n"
    "- Next step: the single next action, and anything the user asked for that is not done.\n"
    "Be complete on details that would be costly to rediscover; leave out pleasantries.";

namespace {

// String.prototype.trim's whitespace: ASCII space and controls, NBSP, BOM,
// the Unicode spaces and line terminators.
bool IsJsSpaceAt(std::string_view s, size_t i, size_t* length) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d)) {
    *length = 1;
    return true;
  }
  auto is = [&](std::string_view seq) {
    if (s.substr(i, seq.size()) == seq) {
      *length = seq.size();
      return true;
    }
    return false;
  };
  if (c == 0xc2) return is("\xc2\xa0");
  if (c == 0xef) return is("\xef\xbb\xbf");
  if (c == 0xe1) return is("\xe1\x9a\x80");
  if (c == 0xe3) return is("\xe3\x80\x80");
  if (c == 0xe2) {
    if (s.size() < i + 3 || (static_cast<unsigned char>(s[i + 1]) != 0x80 &&
                             static_cast<unsigned char>(s[i + 1]) != 0x81)) {
      return false;
    }
    const unsigned char b1 = static_cast<unsigned char>(s[i + 1]);
    const unsigned char b2 = static_cast<unsigned char>(s[i + 2]);
    const bool space = (b1 == 0x80 && ((b2 >= 0x80 && b2 <= 0x8a) || b2 == 0xa8 ||
                                       b2 == 0xa9 || b2 == 0xaf)) ||
                       (b1 == 0x81 && b2 == 0x9f);
    if (space) *length = 3;
    return space;
  }
  return false;
}

}  // namespace

std::string JsTrim(std::string_view s) {
  size_t begin = 0, length = 0;
  while (begin < s.size() && IsJsSpaceAt(s, begin, &length)) begin += length;
  size_t end = s.size();
  // Scan back by trying each start of a possible space sequence (1-3 bytes).
  for (bool again = true; again && end > begin;) {
    again = false;
    for (size_t width = 1; width <= 3 && width <= end - begin; ++width) {
      if (IsJsSpaceAt(s, end - width, &length) && length == width) {
        end -= width;
        again = true;
        break;
      }
    }
  }
  return std::string(s.substr(begin, end - begin));
}

namespace {

void AppendIndented(const json::JsValue& value, int depth, std::string* out) {
  const auto newline = [&](int d) {
    out->push_back('\n');
    out->append(static_cast<size_t>(d) * 2, ' ');
  };
  if (value.is_array()) {
    if (value.size() == 0) {
      out->append("[]");
      return;
    }
    out->push_back('[');
    for (size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out->push_back(',');
      newline(depth + 1);
      const json::JsValue element = value[i];
      if (element.is_undefined()) {
        out->append("null");
      } else {
        AppendIndented(element, depth + 1, out);
      }
    }
    newline(depth);
    out->push_back(']');
    return;
  }
  if (value.is_object()) {
    bool any = false;
    for (size_t i = 0; i < value.size(); ++i) {
      if (value.value(i).is_undefined()) continue;
      out->push_back(any ? ',' : '{');
      any = true;
      newline(depth + 1);
      json::AppendJsonString(value.key(i), out);
      out->append(": ");
      AppendIndented(value.value(i), depth + 1, out);
    }
    if (!any) {
      out->append("{}");
      return;
    }
    newline(depth);
    out->push_back('}');
    return;
  }
  json::AppendJson(value, out);
}

json::JsValue TextBlock(std::string_view text) {
  return json::JsValue::Object({{"type", json::JsValue::String("text")},
                                {"text", json::JsValue::String(text)}});
}

// JavaScript's Array.prototype.join element conversion: undefined and null
// give "", everything else String(value).
std::string JoinPart(const json::JsValue& value) {
  if (value.is_undefined() || value.is_null()) return "";
  return JsToString(value);
}

}  // namespace

std::string StringifyJsonIndented(const json::JsValue& value) {
  std::string out;
  AppendIndented(value, 0, &out);
  return out;
}

std::string ToolUseToText(const json::JsValue& block) {
  const json::JsValue input = block.Find("input");
  std::string text;
  if (input.is_object() || input.is_array()) {
    const size_t n = input.size();
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) text.push_back('\n');
      std::string key;
      json::JsValue value;
      if (input.is_object()) {
        key = std::string(input.key(i));
        value = input.value(i);
      } else {
        key = std::to_string(i);
        value = input[i];
      }
      text += key;
      text += ": ";
      text += (value.is_object() || value.is_array()) ? StringifyJsonIndented(value)
                                                      : JsToString(value);
    }
  } else {
    text = JsToString(input);
  }
  return "[Tool Use: " + JsToString(block.Find("name")) + "]\n" + text;
}

std::string ToolResultToText(const json::JsValue& block) {
  const std::string suffix = JsTruthy(block.Find("is_error")) ? " (Error)" : "";
  const json::JsValue content = block.Find("content");
  if (content.is_string()) {
    return "[Tool Result" + suffix + "]\n" + std::string(content.string_value());
  }
  if (content.is_array()) {
    std::string text;
    for (size_t i = 0; i < content.size(); ++i) {
      if (i > 0) text.push_back('\n');
      const json::JsValue part = content[i];
      const std::string_view type = part.Find("type").string_value();
      if (type == "text") {
        text += JoinPart(part.Find("text"));
      } else if (type == "image") {
        text += "[Image]";
      } else {
        text += "[" + JsToString(part.Find("type")) + "]";
      }
    }
    return "[Tool Result" + suffix + "]\n" + text;
  }
  return "[Tool Result" + suffix + "]";
}

json::JsValue ConvertToolBlocksToText(const json::JsValue& content) {
  if (!content.is_array()) return content;
  std::vector<json::JsValue> blocks;
  blocks.reserve(content.size());
  bool changed = false;
  for (size_t i = 0; i < content.size(); ++i) {
    const json::JsValue block = content[i];
    const std::string_view type = block.Find("type").string_value();
    if (type == "tool_use") {
      blocks.push_back(TextBlock(ToolUseToText(block)));
      changed = true;
    } else if (type == "tool_result") {
      blocks.push_back(TextBlock(ToolResultToText(block)));
      changed = true;
    } else {
      blocks.push_back(block);
    }
  }
  return changed ? json::JsValue::Array(blocks) : content;
}

json::JsValue RemoveImageBlocks(const json::JsValue& content) {
  if (!content.is_array()) return content;
  std::vector<json::JsValue> blocks;
  bool changed = false;
  for (size_t i = 0; i < content.size(); ++i) {
    const json::JsValue block = content[i];
    if (block.Find("type").string_value() == "image") {
      blocks.push_back(TextBlock(kImagePlaceholderText));
      changed = true;
    } else {
      blocks.push_back(block);
    }
  }
  return changed ? json::JsValue::Array(blocks) : content;
}

History InjectSyntheticToolResults(const History& messages, double now_ms) {
  std::vector<json::JsValue> calls, results;
  auto add = [](std::vector<json::JsValue>& set, const json::JsValue& v) {
    for (const json::JsValue& x : set) {
      if (JsSameValueZero(x, v)) return;
    }
    set.push_back(v);
  };
  for (const Message& m : messages) {
    if (!m.is_assistant() && !m.is_user()) continue;
    const json::JsValue content = m.content();  // unpacked once per message
    if (!content.is_array()) continue;
    for (size_t b = 0; b < content.size(); ++b) {
      const json::JsValue block = content[b];
      const std::string_view type = block.Find("type").string_value();
      if (m.is_assistant() && type == "tool_use") add(calls, block.Find("id"));
      if (m.is_user() && type == "tool_result") add(results, block.Find("tool_use_id"));
    }
  }
  std::vector<json::JsValue> synthetic;
  for (const json::JsValue& id : calls) {
    bool answered = false;
    for (const json::JsValue& r : results) answered = answered || JsSameValueZero(r, id);
    if (answered) continue;
    synthetic.push_back(json::JsValue::Object({
        {"type", json::JsValue::String("tool_result")},
        {"tool_use_id", id},
        {"content", json::JsValue::String(kSyntheticToolResultText)},
    }));
  }
  History out = messages;
  if (!synthetic.empty()) {
    out.push_back(Message::Make({{kRole, json::JsValue::String("user")},
                                 {kContent, json::JsValue::Array(synthetic)},
                                 {kTs, json::JsValue::Number(now_ms)}}));
  }
  return out;
}

std::string ExtractCommandBlocks(const Message& message) {
  const json::JsValue content = message.content();
  std::string text;
  if (content.is_string()) {
    text = std::string(content.string_value());
  } else if (content.is_array()) {
    bool first = true;
    for (size_t i = 0; i < content.size(); ++i) {
      const json::JsValue block = content[i];
      if (block.Find("type").string_value() != "text") continue;
      if (!first) text.push_back('\n');
      first = false;
      text += JoinPart(block.Find("text"));
    }
  } else {
    return "";
  }
  // /<command[^>]*>[\s\S]*?<\/command>/g
  std::string joined;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("<command", pos);
    if (open == std::string::npos) break;
    const size_t gt = text.find('>', open + 8);
    if (gt == std::string::npos) break;
    const size_t close = text.find("</command>", gt + 1);
    if (close == std::string::npos) break;
    if (!joined.empty()) joined.push_back('\n');
    joined.append(text, open, close + 10 - open);
    pos = close + 10;
  }
  return joined;
}

std::optional<std::string> CondensePrecondition(const History& messages) {
  const size_t start = [&] {
    for (size_t i = messages.size(); i-- > 0;) {
      if (messages[i].is_summary()) return i;
    }
    return size_t{0};
  }();
  const size_t count = messages.size() - start;
  if (count <= 1) {
    return std::string(messages.size() <= 1 ? kErrorNotEnoughMessages : kErrorCondensedRecently);
  }
  bool has_summary = false;
  for (size_t i = start; i < messages.size(); ++i) has_summary = has_summary || messages[i].is_summary();
  if (has_summary && count <= 2) return std::string(kErrorCondensedRecently);
  return std::nullopt;
}

SummarizationRequest BuildSummarizationRequest(const History& messages,
                                               const SummarizeOptions& options) {
  size_t start = 0;
  for (size_t i = messages.size(); i-- > 0;) {
    if (messages[i].is_summary()) {
      start = i;
      break;
    }
  }
  const History since(messages.begin() + static_cast<std::ptrdiff_t>(start), messages.end());
  History with_results = InjectSyntheticToolResults(since, NowMs(options.now_ms));
  const std::string custom = JsTrim(options.custom_condensing_prompt);
  with_results.push_back(Message::Make(
      {{kRole, json::JsValue::String("user")},
       {kContent, json::JsValue::String(custom.empty() ? kDefaultCondenseInstruction : custom)}}));
  SummarizationRequest request;
  request.system_prompt = kSummarySystemPrompt;
  request.messages.reserve(with_results.size());
  for (const Message& m : with_results) {
    json::JsValue content = m.content();
    if (!options.model_supports_images) content = RemoveImageBlocks(content);
    content = ConvertToolBlocksToText(content);
    request.messages.push_back(
        Message::Make({{kRole, m.Get(kRole)}, {kContent, std::move(content)}}));
  }
  return request;
}

SummarizeOutcome ApplySummary(History& messages, const SummarizerReply& reply,
                              const SummarizeOptions& options) {
  SummarizeOutcome outcome;
  if (reply.threw) {
    outcome.cost = 0;  // the reference reports the cost seen before the throw: none
    outcome.error = kErrorCondenseApiFailed;
    outcome.error_details = "Error: " + reply.error_message;
    return outcome;
  }
  outcome.cost = reply.cost;
  const std::string summary = JsTrim(reply.text);
  if (summary.empty()) {
    outcome.error = kErrorCondenseFailed;
    return outcome;
  }
  std::vector<json::JsValue> blocks;
  blocks.push_back(TextBlock("## Conversation Summary\n" + summary));
  const std::string commands = messages.empty() ? "" : ExtractCommandBlocks(messages.front());
  if (!commands.empty()) {
    blocks.push_back(TextBlock(
        "<system-reminder>\n## Active Workflows\n"
        "Keep following these workflows after this and any later condensing:\n" +
        commands + "\n</system-reminder>"));
  }
  for (std::string& section : FoldedFileSections(options.files_read)) {
    blocks.push_back(TextBlock(section));
  }
  if (options.is_automatic_trigger && !JsTrim(options.environment_details).empty()) {
    blocks.push_back(TextBlock(options.environment_details));
  }
  const std::string condense_id = options.ids->NextId();
  // `(messages[len-1]?.ts ?? Date.now()) + 1`, with JavaScript's `+`.
  json::JsValue ts;
  const json::JsValue last_ts = messages.empty() ? json::JsValue() : messages.back().ts();
  if (last_ts.is_undefined() || last_ts.is_null()) {
    ts = json::JsValue::Number(NowMs(options.now_ms) + 1);
  } else if (last_ts.is_string()) {
    ts = json::JsValue::String(std::string(last_ts.string_value()) + "1");
  } else {
    ts = json::JsValue::Number(JsToNumber(last_ts) + 1);
  }
  const json::JsValue content = json::JsValue::Array(blocks);
  const json::JsValue id = json::JsValue::String(condense_id);
  for (Message& m : messages) {
    if (!JsTruthy(m.condense_parent())) m.Set(kCondenseParent, id);
  }
  messages.push_back(Message::Make({{kRole, json::JsValue::String("user")},
                                    {kContent, content},
                                    {kTs, ts},
                                    {kIsSummary, json::JsValue::Bool(true)},
                                    {kCondenseId, id}}));
  // One estimate of [system prompt as text, ...summary blocks] (§0.1).
  std::vector<json::JsValue> counted;
  counted.push_back(TextBlock(options.system_prompt));
  counted.insert(counted.end(), blocks.begin(), blocks.end());
  outcome.new_context_tokens =
      static_cast<double>(EstimateContentTokens(json::JsValue::Array(counted)));
  outcome.summary = summary;
  outcome.condense_id = condense_id;
  return outcome;
}

SummarizeOptions AutomaticSummarizeOptions(const ManageOptions& options) {
  SummarizeOptions summarize;
  summarize.system_prompt = options.system_prompt;
  summarize.custom_condensing_prompt = options.custom_condensing_prompt;
  summarize.environment_details = options.environment_details;
  summarize.files_read = options.files_read;
  summarize.is_automatic_trigger = true;
  summarize.model_supports_images = options.model_supports_images;
  summarize.summarizer = options.summarizer;
  summarize.ids = options.ids;
  summarize.now_ms = options.now_ms;
  return summarize;
}

SummarizeOutcome SummarizeConversation(History& messages, const SummarizeOptions& options) {
  if (std::optional<std::string> error = CondensePrecondition(messages)) {
    SummarizeOutcome outcome;
    outcome.error = std::move(error);
    return outcome;
  }
  const SummarizationRequest request = BuildSummarizationRequest(messages, options);
  SummarizerReply reply;
  if (options.summarizer) {
    reply = options.summarizer(request);
  } else {
    reply.threw = true;
    reply.error_message = "no summarizer";
  }
  return ApplySummary(messages, reply, options);
}

}  // namespace ctxmem::context
