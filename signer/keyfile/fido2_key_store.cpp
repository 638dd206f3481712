#include "keyfile/fido2_key_store.hpp"

#include <sodium.h>

#include <optional>
#include <utility>

#include "common/helper_path.hpp"
#include "common/private_file.hpp"
#include "dmp/hsm/fido2_client.hpp"
#include "keyfile/fido2_key_crypto.hpp"

namespace dmp::keyfile {
namespace {

constexpr char kHelperName[] = "dmp-sign-fido2";

Error with_path(const std::string& path, Error error) {
  error.within(path);
  return error;
}

// The PIN, read once and only when a slot asks for user verification.
Result<std::optional<hsm::SecretBuffer>> read_pin_if(bool needed, const Fido2Access& access) {
  if (!needed) return std::optional<hsm::SecretBuffer>();
  auto pin =
      cli::read_passphrase(access.pin, "PIN of the FIDO2 token: ", cli::PassphrasePurpose::unlock);
  if (!pin) return pin.error();
  return std::optional<hsm::SecretBuffer>(std::move(*pin));
}

Status write_file(const std::string& path, const fido2::Fido2KeyFile& file, bool replace) {
  auto text = fido2::format_fido2_key_file_text(file);
  if (!text) return text.error();
  const std::span bytes(reinterpret_cast<const std::uint8_t*>(text->data()), text->size());
  return replace ? cli::replace_private_file(path, bytes) : cli::create_private_file(path, bytes);
}

}  // namespace

Result<fido2::Fido2KeyFile> load_fido2_key_file(const std::string& path) {
  auto text = cli::read_private_file(path, fido2::kMaxArmoredLen, "key file");
  if (!text) return text.error();
  auto file = fido2::parse_fido2_key_file_text(
      std::string_view(reinterpret_cast<const char*>(text->data()), text->size()));
  if (!file) return with_path(path, file.error());
  return file;
}

Result<UnlockedFido2Key> unlock_fido2_key(const std::string& path, const fido2::Fido2KeyFile& file,
                                          const Fido2Access& access) {
  auto helper = cli::find_helper(kHelperName, access.helper_override);
  if (!helper) return helper.error();
  bool any_pin = false;
  for (const auto& slot : file.tokens)
    any_pin = any_pin || (slot.flags & fido2::kFlagUserVerification) != 0;
  auto pin = read_pin_if(any_pin, access);
  if (!pin) return pin.error();

  // One helper call per (rp id, flags) group of slots: the helper asserts
  // one way per call, and a token answers only for its own credential.
  std::vector<bool> asked(file.tokens.size(), false);
  std::optional<Error> last_error;
  for (std::size_t first = 0; first < file.tokens.size(); ++first) {
    if (asked[first]) continue;
    const auto& lead = file.tokens[first];
    std::vector<std::size_t> group;
    std::vector<hsm::fido2::SlotRef> refs;
    for (std::size_t i = first; i < file.tokens.size(); ++i) {
      const auto& slot = file.tokens[i];
      if (asked[i] || slot.rp_id != lead.rp_id || slot.flags != lead.flags) continue;
      asked[i] = true;
      group.push_back(i);
      refs.push_back({slot.credential_id, {slot.salt.begin(), slot.salt.end()}});
    }
    const bool uv = (lead.flags & fido2::kFlagUserVerification) != 0;
    const hsm::fido2::TokenRequest request{*helper, access.device, lead.rp_id, lead.flags,
                                           uv && *pin ? &**pin : nullptr};
    auto unwrapped = hsm::fido2::unwrap(request, refs);
    if (!unwrapped) {
      // Not enrolled under this group: try the next; anything else is final.
      if (unwrapped.error().reason != Reason::token_unavailable)
        return with_path(path, unwrapped.error());
      last_error = unwrapped.error();
      continue;
    }
    const std::size_t slot = group[unwrapped->slot];
    auto seed = fido2::unwrap_seed(file, slot, unwrapped->hmac_secret);
    if (!seed) return with_path(path, seed.error());
    std::string description = "FIDO2 key file " + path;
    if (!file.comment.empty()) description += " (" + file.comment + ")";
    description += ", token " + std::to_string(slot + 1);
    if (!file.tokens[slot].label.empty()) description += " \"" + file.tokens[slot].label + "\"";
    return UnlockedFido2Key{
        std::make_unique<hsm::SeedKey>(std::move(*seed), std::move(description)), slot};
  }
  return with_path(path, *last_error);
}

Status enrol_token(fido2::Fido2KeyFile& file, const hsm::SecretBuffer& seed,
                   const Fido2Access& access, const NewSlot& wanted) {
  if (file.tokens.size() >= fido2::kMaxTokens)
    return fail(Reason::invalid_field, "tokens", "a file holds at most 8 enrolled tokens");
  fido2::TokenSlot slot;
  slot.rp_id = wanted.rp_id;
  slot.label = wanted.label;
  slot.flags = fido2::kFlagUserPresence |
               static_cast<std::uint8_t>(wanted.require_pin ? fido2::kFlagUserVerification : 0);
  slot.credential_id.assign(1, 0);  // placeholder so check_slot can vet the rest now
  if (auto checked = fido2::check_slot(slot); !checked) return checked.error();
  randombytes_buf(slot.salt.data(), slot.salt.size());

  auto helper = cli::find_helper(kHelperName, access.helper_override);
  if (!helper) return helper.error();
  // A token with a PIN needs it to make a credential even for a slot that
  // will not assert with it (--no-pin): then the PIN comes from --pin-file.
  auto pin = read_pin_if(wanted.require_pin || access.pin.file || access.pin.fd, access);
  if (!pin) return pin.error();
  const hsm::fido2::TokenRequest request{*helper, access.device, slot.rp_id, slot.flags,
                                         *pin ? &**pin : nullptr};
  auto enrolment = hsm::fido2::enroll(request, slot.salt);
  if (!enrolment) return enrolment.error();
  slot.credential_id = std::move(enrolment->credential_id);
  if (slot.label.empty()) slot.label = enrolment->product.substr(0, fido2::kMaxLabelLen);
  if (!fido2::check_slot(slot)) slot.label.clear();  // a product name we cannot store
  if (auto wrapped = fido2::wrap_seed(seed, enrolment->hmac_secret, file, slot); !wrapped)
    return wrapped;
  // Prove the slot opens before anyone relies on it.
  fido2::Fido2KeyFile check = file;
  check.tokens.push_back(slot);
  if (auto opened = fido2::unwrap_seed(check, check.tokens.size() - 1, enrolment->hmac_secret);
      !opened || !opened->equals(seed))
    return fail(Reason::token_unavailable, "", "the new slot does not unwrap: nothing written");
  file.tokens.push_back(std::move(slot));
  return ok();
}

Status write_new_fido2_key_file(const std::string& path, const fido2::Fido2KeyFile& file) {
  return write_file(path, file, false);
}

Status replace_fido2_key_file(const std::string& path, const fido2::Fido2KeyFile& file) {
  return write_file(path, file, true);
}

}  // namespace dmp::keyfile
