// A software FIDO2 token for tests, reached through the real libfido2 via
// fido_dev_set_io_functions(): libfido2 does its own CTAPHID framing and
// CBOR, this side answers as a CTAP 2.0 authenticator with hmac-secret and
// PIN protocol 1 would. Test infrastructure only; never link it into a
// release binary.
//
// A token is its state file: io().open(path) opens the token whose state
// file is `path`, in this process or any other, and the test controls below
// write to the same file, so a child process (say, the dmp-sign-fido2
// helper under test) sees what the test set.
#pragma once

#include <fido.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "token_state.hpp"

namespace dmp::soft_fido2 {

// libfido2 I/O hooks; the path given to fido_dev_open() is a state file.
const fido_dev_io_t& soft_authenticator_io();
// fido_dev_set_io_functions() + fido_dev_open(): a FIDO_ERR_* code.
int open_soft_device(fido_dev_t* dev, const std::filesystem::path& state_file);

class SoftAuthenticator {
 public:
  // The token in `state_file`, made fresh (random AAGUID and master secret,
  // no PIN) if the file does not exist; nullopt if it cannot be read or written.
  static std::optional<SoftAuthenticator> open_or_create(const std::filesystem::path& state_file);

  const std::filesystem::path& state_file() const { return state_file_; }
  // What fido_dev_open() takes on a device using soft_authenticator_io().
  std::string path() const { return state_file_.string(); }

  // Test controls. Each returns false if the state file could not be updated.
  bool set_presence(Presence presence);
  bool set_plugged_in(bool plugged_in);  // unplugged: open, read and write fail
  bool set_pin(std::string_view pin);    // as if set earlier; resets the retries
  bool clear_pin();
  bool set_pin_retries(int retries);
  // Unplug and replug: the PIN session (pinToken, key agreement, count of
  // consecutive wrong PINs) is lost; the state file stays.
  void power_cycle() const;
  std::optional<TokenState> state() const;

 private:
  explicit SoftAuthenticator(std::filesystem::path state_file)
      : state_file_(std::move(state_file)) {}
  bool update(const std::function<void(TokenState&)>& change) const;

  std::filesystem::path state_file_;
};

}  // namespace dmp::soft_fido2
