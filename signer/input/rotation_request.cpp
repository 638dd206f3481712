#include "input/rotation_request.hpp"

#include <nlohmann/json.hpp>

#include "dmp/encoding.hpp"
#include "dmp/verify.hpp"
#include "input/strict_json.hpp"

namespace dmp::input {
namespace {

using json = nlohmann::json;

constexpr std::string_view kVersionMember = "dmp_rotation_request";

Failure invalid(const std::string& member, const std::string& rule) {
  return fail(Reason::invalid_field, "rotation request " + member, rule);
}

// Lower-case hex of exactly `size` bytes (the one spelling this file uses).
Result<Bytes> lower_hex(const json& value, const std::string& member, std::size_t min_size,
                        std::size_t max_size) {
  if (!value.is_string()) return invalid(member, "must be a string of lower-case hex");
  const auto& text = value.get_ref<const std::string&>();
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return invalid(member, "must be lower-case hex (0-9, a-f)");
    }
  }
  if (text.size() % 2 != 0 || text.size() < 2 * min_size || text.size() > 2 * max_size) {
    return invalid(member, min_size == max_size
                               ? "must be " + std::to_string(2 * min_size) + " hex digits"
                               : "must be " + std::to_string(2 * min_size) + " to " +
                                     std::to_string(2 * max_size) + " hex digits, even");
  }
  auto bytes = encoding::hex_decode(text, member);
  if (!bytes) return invalid(member, bytes.error().message());
  return bytes;
}

Result<std::optional<Signature>> signature_member(const json& root, const std::string& member) {
  if (!root.contains(member)) return std::optional<Signature>{};
  auto bytes = lower_hex(root.at(member), member, kSignatureLen, kSignatureLen);
  if (!bytes) return bytes.error();
  Signature signature{};
  std::copy(bytes->begin(), bytes->end(), signature.begin());
  return std::optional<Signature>(signature);
}

}  // namespace

Result<RotationRequest> parse_rotation_request(std::string_view text) {
  if (text.size() > kMaxRotationRequestLen) return invalid("document", "larger than 16 KiB");
  auto parsed = parse_json_strictly(text);
  if (!parsed && parsed.error().field == "json") {
    return invalid("document", "is not valid JSON (" + parsed.error().message() + ")");
  }
  if (!parsed) return invalid(parsed.error().field, "appears more than once in one object");
  const json root = std::move(*parsed);
  if (!root.is_object()) return invalid("document", "must be a JSON object");
  for (const auto& [key, value] : root.items()) {
    if (key != kVersionMember && key != "body" && key != "sig_old" && key != "sig_new") {
      return invalid(key, "unknown member (allowed: dmp_rotation_request, body, sig_old, sig_new)");
    }
  }
  const std::string version(kVersionMember);
  if (!root.contains(version) || !root[version].is_number_unsigned() || root[version] != 1) {
    return invalid(version, "must be 1 (the only version this dmp-sign reads)");
  }
  if (!root.contains("body")) return invalid("body", "is missing");
  RotationRequest request;
  auto body = lower_hex(root["body"], "body", kRotationMinBody, kRotationMinBody + 255);
  if (!body) return body.error();
  request.body = std::move(*body);
  auto record = decode_rotation_body(request.body);
  if (!record) return invalid("body", "not a rotation body: " + record.error().message());
  request.record = std::move(*record);
  auto sig_old = signature_member(root, "sig_old");
  if (!sig_old) return sig_old.error();
  auto sig_new = signature_member(root, "sig_new");
  if (!sig_new) return sig_new.error();
  request.sig_old = *sig_old;
  request.sig_new = *sig_new;
  return request;
}

std::string format_rotation_request(const RotationRequest& request) {
  nlohmann::ordered_json out;
  out[std::string(kVersionMember)] = 1;
  out["body"] = encoding::hex_encode(request.body);
  if (request.sig_old) out["sig_old"] = encoding::hex_encode(*request.sig_old);
  if (request.sig_new) out["sig_new"] = encoding::hex_encode(*request.sig_new);
  return out.dump(2) + "\n";
}

Status check_request_signatures(const RotationRequest& request) {
  const auto check = [&request](const std::optional<Signature>& signature, const PublicKey& key,
                                const char* member, const char* which) -> Status {
    if (!signature) return ok();
    auto checked = check_signature(request.body, *signature, key);
    if (!checked) {
      return fail(Reason::bad_signature, std::string("rotation request ") + member,
                  std::string("does not verify under the ") + which + " key in the body (" +
                      checked.error().message() +
                      "): the body or the signature was altered, or they were swapped");
    }
    return ok();
  };
  if (auto old_ok = check(request.sig_old, request.record.old_spk, "sig_old", "old"); !old_ok) {
    return old_ok;
  }
  return check(request.sig_new, request.record.new_spk, "sig_new", "new");
}

}  // namespace dmp::input
