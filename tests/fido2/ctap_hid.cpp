#include "ctap_hid.hpp"

#include <algorithm>
#include <span>

#include "dmp/encoding.hpp"

namespace dmp::soft_fido2 {
namespace {

constexpr uint32_t kBroadcast = 0xffffffff;
constexpr size_t kInitData = kReportSize - 7;  // cid, cmd, bcnth, bcntl
constexpr size_t kContData = kReportSize - 5;  // cid, seq
constexpr size_t kMaxPayload = kInitData + 128 * kContData;

enum Command : uint8_t {
  kPing = 0x01,
  kMsg = 0x03,
  kInit = 0x06,
  kWink = 0x08,
  kCbor = 0x10,
  kCancel = 0x11,
  kKeepalive = 0x3b,
  kError = 0x3f,
};
enum HidError : uint8_t {
  kErrInvalidCmd = 0x01,
  kErrInvalidLen = 0x03,
  kErrInvalidSeq = 0x04,
  kErrChannelBusy = 0x06,
  kErrInvalidChannel = 0x0b,
};
constexpr uint8_t kCapWink = 0x01;
constexpr uint8_t kCapCbor = 0x04;
constexpr uint8_t kCapNoMsg = 0x08;  // no CTAP1/U2F
constexpr uint8_t kKeepaliveUpNeeded = 0x02;

// Channel ids are opaque to the host; big-endian here, so bytes round-trip.
constexpr size_t kCidLen = 4;

}  // namespace

void CtapHid::write_report(const Report& report) {
  const auto cid = static_cast<uint32_t>(encoding::read_be(report, kCidLen).value_or(0));
  if ((report[4] & 0x80) == 0) {
    // Continuation packets outside a transaction are ignored, as the spec says.
    if (!pending_ || pending_->cid != cid) return;
    if (report[4] != pending_->next_seq) {
      pending_.reset();
      send_error(cid, kErrInvalidSeq);
      return;
    }
    ++pending_->next_seq;
    const size_t n = std::min(kContData, pending_->length - pending_->data.size());
    pending_->data.insert(pending_->data.end(), report.begin() + 5, report.begin() + 5 + n);
  } else {
    const auto command = static_cast<uint8_t>(report[4] & 0x7f);
    const size_t length = encoding::read_be(std::span(report).subspan(5), 2).value_or(0);
    if (pending_ && pending_->cid != cid) {
      send_error(cid, kErrChannelBusy);
      return;
    }
    const bool resync = pending_.has_value();
    pending_.reset();
    if (resync && command != kInit) {
      send_error(cid, kErrInvalidSeq);  // a new request before the last one was complete
      return;
    }
    if (cid == 0 || (cid == kBroadcast && command != kInit) ||
        (cid != kBroadcast && channels_.count(cid) == 0)) {
      send_error(cid, kErrInvalidChannel);
      return;
    }
    if (length > kMaxPayload) {
      send_error(cid, kErrInvalidLen);
      return;
    }
    const size_t n = std::min(kInitData, length);
    pending_ = Pending{cid, command, length, 0, Bytes(report.begin() + 7, report.begin() + 7 + n)};
  }
  if (pending_->data.size() == pending_->length) {
    const Pending done = std::move(*pending_);
    pending_.reset();
    dispatch(done.cid, done.command, done.data);
  }
}

std::optional<Report> CtapHid::read_report() {
  if (out_.empty()) return std::nullopt;
  const Report report = out_.front();
  out_.pop_front();
  return report;
}

void CtapHid::dispatch(uint32_t cid, uint8_t command, ByteView payload) {
  switch (command) {
    case kInit: {
      if (payload.size() != 8) return send_error(cid, kErrInvalidLen);
      // INIT on the broadcast channel allocates one; on a channel, resyncs it.
      uint32_t channel = cid;
      if (cid == kBroadcast) {
        channel = next_cid_++;
        channels_.insert(channel);
      }
      Bytes reply(payload.begin(), payload.end());  // the nonce, echoed
      reply.resize(12);
      encoding::store_be(std::span(reply).subspan(8, kCidLen), channel);
      const uint8_t version[] = {2, 1, 0, 0};  // CTAPHID protocol 2, device 1.0.0
      reply.insert(reply.end(), std::begin(version), std::end(version));
      reply.push_back(kCapWink | kCapCbor | kCapNoMsg);
      return send(cid, kInit, reply);
    }
    case kPing:
      return send(cid, kPing, payload);
    case kWink:
      return send(cid, kWink, {});
    case kCancel:
      return;  // nothing is ever in flight to cancel; CANCEL gets no reply
    case kCbor: {
      if (payload.empty()) return send_error(cid, kErrInvalidLen);
      const Bytes reply = handler_(payload, [&] {
        const uint8_t st = kKeepaliveUpNeeded;
        send(cid, kKeepalive, ByteView(&st, 1));
      });
      return send(cid, kCbor, reply);
    }
    default:  // includes kMsg: this token speaks no CTAP1
      return send_error(cid, kErrInvalidCmd);
  }
}

void CtapHid::send(uint32_t cid, uint8_t command, ByteView payload) {
  Report report{};
  encoding::store_be(std::span(report).first(kCidLen), cid);
  report[4] = static_cast<uint8_t>(0x80 | command);
  encoding::store_be(std::span(report).subspan(5, 2), payload.size());
  size_t n = std::min(kInitData, payload.size());
  std::copy_n(payload.begin(), n, report.begin() + 7);
  out_.push_back(report);
  for (uint8_t seq = 0; n < payload.size(); ++seq) {
    report = {};
    encoding::store_be(std::span(report).first(kCidLen), cid);
    report[4] = seq;
    const size_t chunk = std::min(kContData, payload.size() - n);
    std::copy_n(payload.begin() + static_cast<ptrdiff_t>(n), chunk, report.begin() + 5);
    out_.push_back(report);
    n += chunk;
  }
}

void CtapHid::send_error(uint32_t cid, uint8_t code) {
  send(cid, kError, ByteView(&code, 1));
}

}  // namespace dmp::soft_fido2
