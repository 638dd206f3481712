#include "soft_authenticator.hpp"

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "authenticator.hpp"
#include "ctap_hid.hpp"

namespace dmp::soft_fido2 {
namespace {

// One Authenticator per token and process, so that the PIN session survives
// fido_dev_close()/fido_dev_open() as it does on a real token that stays
// plugged in. Keyed by the normalised state file path.
std::mutex registry_mutex;
std::map<std::string, std::shared_ptr<Authenticator>>& registry() {
  static std::map<std::string, std::shared_ptr<Authenticator>> tokens;
  return tokens;
}

std::string registry_key(const std::filesystem::path& file) {
  return std::filesystem::absolute(file).lexically_normal().string();
}

std::shared_ptr<Authenticator> token_for(const std::filesystem::path& file) {
  const std::lock_guard lock(registry_mutex);
  auto& token = registry()[registry_key(file)];
  if (!token) token = std::make_shared<Authenticator>(file);
  return token;
}

bool plugged_in(const std::filesystem::path& file) {
  const auto state = load_state(file);
  return state && state->plugged_in;
}

// What libfido2's io handle points to: one open of the HID device.
struct Handle {
  std::filesystem::path state_file;
  std::shared_ptr<Authenticator> token;
  CtapHid hid;
};

void* io_open(const char* path) {
  if (path == nullptr || !plugged_in(path)) return nullptr;
  auto token = token_for(path);
  auto* handle = new Handle{path, token, CtapHid([token](ByteView message, const auto& waiting) {
                              return token->handle(message, waiting);
                            })};
  return handle;
}

void io_close(void* handle) {
  delete static_cast<Handle*>(handle);
}

// libfido2 writes a report ID byte (0) before each 64-byte report.
int io_write(void* opaque, const unsigned char* buf, size_t len) {
  auto* handle = static_cast<Handle*>(opaque);
  if (len != kReportSize + 1 || buf[0] != 0 || !plugged_in(handle->state_file)) return -1;
  Report report;
  std::memcpy(report.data(), buf + 1, kReportSize);
  handle->hid.write_report(report);
  return static_cast<int>(len);
}

// Replies are ready when the request's last packet has been written, so an
// empty queue means a real token would have timed out.
int io_read(void* opaque, unsigned char* buf, size_t len, int /*ms*/) {
  auto* handle = static_cast<Handle*>(opaque);
  if (len < kReportSize) return -1;
  const auto report = handle->hid.read_report();
  if (!report) return -1;
  std::memcpy(buf, report->data(), kReportSize);
  return static_cast<int>(kReportSize);
}

}  // namespace

const fido_dev_io_t& soft_authenticator_io() {
  static const fido_dev_io_t io{io_open, io_close, io_read, io_write};
  return io;
}

int open_soft_device(fido_dev_t* dev, const std::filesystem::path& state_file) {
  if (const int r = fido_dev_set_io_functions(dev, &soft_authenticator_io()); r != FIDO_OK) {
    return r;
  }
  return fido_dev_open(dev, state_file.c_str());
}

std::optional<SoftAuthenticator> SoftAuthenticator::open_or_create(
    const std::filesystem::path& state_file) {
  if (!std::filesystem::exists(state_file) && !save_state(state_file, new_token_state())) {
    return std::nullopt;
  }
  if (!load_state(state_file)) return std::nullopt;
  return SoftAuthenticator(state_file);
}

bool SoftAuthenticator::update(const std::function<void(TokenState&)>& change) const {
  auto state = load_state(state_file_);
  if (!state) return false;
  change(*state);
  return save_state(state_file_, *state);
}

bool SoftAuthenticator::set_presence(Presence presence) {
  return update([&](TokenState& s) { s.presence = presence; });
}

bool SoftAuthenticator::set_plugged_in(bool plugged_in) {
  return update([&](TokenState& s) { s.plugged_in = plugged_in; });
}

bool SoftAuthenticator::set_pin(std::string_view pin) {
  Bytes hash = sha256(ByteView(reinterpret_cast<const uint8_t*>(pin.data()), pin.size()));
  hash.resize(16);
  return update([&](TokenState& s) {
    s.pin_hash = hash;
    s.pin_retries = kMaxPinRetries;
  });
}

bool SoftAuthenticator::clear_pin() {
  return update([](TokenState& s) { s.pin_hash.reset(); });
}

bool SoftAuthenticator::set_pin_retries(int retries) {
  return update([&](TokenState& s) { s.pin_retries = retries; });
}

void SoftAuthenticator::power_cycle() const {
  token_for(state_file_)->power_cycle();
}

std::optional<TokenState> SoftAuthenticator::state() const {
  return load_state(state_file_);
}

}  // namespace dmp::soft_fido2
