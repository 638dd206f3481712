// CTAPHID framing (CTAP 2.0 §8.1): 64-byte reports in, 64-byte reports out.
// Channels, INIT, PING, WINK, CANCEL, CBOR, KEEPALIVE while waiting for a
// touch, continuation packets and ERROR replies. Commands run to completion
// as soon as their last packet arrives, so replies are queued, not awaited.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>

#include "crypto.hpp"

namespace dmp::soft_fido2 {

inline constexpr size_t kReportSize = 64;
using Report = std::array<uint8_t, kReportSize>;

class CtapHid {
 public:
  // Runs one CBOR message; calls `waiting` when it starts waiting for the user.
  using CborHandler = std::function<Bytes(ByteView message, const std::function<void()>& waiting)>;

  explicit CtapHid(CborHandler handler) : handler_(std::move(handler)) {}

  void write_report(const Report& report);
  std::optional<Report> read_report();

 private:
  struct Pending {
    uint32_t cid = 0;
    uint8_t command = 0;
    size_t length = 0;
    uint8_t next_seq = 0;
    Bytes data;
  };

  void dispatch(uint32_t cid, uint8_t command, ByteView payload);
  void send(uint32_t cid, uint8_t command, ByteView payload);
  void send_error(uint32_t cid, uint8_t code);

  CborHandler handler_;
  std::deque<Report> out_;
  std::set<uint32_t> channels_;
  uint32_t next_cid_ = 0x01000001;
  std::optional<Pending> pending_;
};

}  // namespace dmp::soft_fido2
