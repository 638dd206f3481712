#include "dmp/hsm/helper_protocol.hpp"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "dmp/encoding.hpp"

namespace dmp::hsm::helper {

namespace {

constexpr std::size_t kFieldHeaderSize = 3;  // tag (1) + length (2)
constexpr std::size_t kMaxFieldValue = 0xffff;

Failure protocol_error(std::string message) {
  return fail(Reason::helper_protocol, "helper pipe", std::move(message));
}

// Reads exactly `size` bytes; false on EOF or an error other than EINTR.
bool read_exact(int fd, std::uint8_t* out, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, out + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

// --- WipedBytes --------------------------------------------------------------

WipedBytes::WipedBytes(std::span<const std::uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}
WipedBytes::~WipedBytes() {
  clear();
}
WipedBytes::WipedBytes(WipedBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}
WipedBytes& WipedBytes::operator=(WipedBytes&& other) noexcept {
  if (this != &other) {
    clear();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}
WipedBytes::WipedBytes(const WipedBytes& other) : bytes_(other.bytes_) {}
WipedBytes& WipedBytes::operator=(const WipedBytes& other) {
  if (this != &other) {
    clear();
    bytes_.reserve(other.bytes_.size());
    bytes_.assign(other.bytes_.begin(), other.bytes_.end());
  }
  return *this;
}
void WipedBytes::clear() noexcept {
  // The whole capacity: a shrunk vector may still hold old secret bytes.
  if (bytes_.capacity() != 0) sodium_memzero(bytes_.data(), bytes_.capacity());
  bytes_.clear();
}

// --- Message -----------------------------------------------------------------

Message& Message::add(std::uint8_t tag, std::span<const std::uint8_t> value) {
  fields.push_back(Field{tag, WipedBytes(value)});
  return *this;
}

Message& Message::add(std::uint8_t tag, std::string_view text) {
  return add(tag, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

const Field* Message::find(std::uint8_t tag) const noexcept {
  for (const auto& field : fields)
    if (field.tag == tag) return &field;
  return nullptr;
}

// --- Codec -------------------------------------------------------------------

Result<WipedBytes> encode_message(const Message& message) {
  if (message.fields.size() > kMaxFields)
    return fail(Reason::usage, "helper pipe", "more than 32 fields in one message");
  std::size_t payload = 0;
  for (std::size_t i = 0; i < message.fields.size(); ++i) {
    const Field& f = message.fields[i];
    if (i > 0 && f.tag <= message.fields[i - 1].tag)
      return fail(Reason::usage, "helper pipe", "field tags must strictly increase");
    if (f.value.size() > kMaxFieldValue)
      return fail(Reason::usage, "helper pipe", "a field value is over 65535 bytes");
    payload += kFieldHeaderSize + f.value.size();
  }
  if (payload > kMaxPayload)
    return fail(Reason::usage, "helper pipe", "message over the 16 KiB payload cap");

  WipedBytes frame;
  auto& out = frame.bytes();
  out.reserve(kHeaderSize + payload);
  out.insert(out.end(), std::begin(kMagic), std::end(kMagic));
  out.push_back(kVersion);
  out.push_back(message.kind);
  encoding::write_be(out, payload, 4);
  for (const Field& f : message.fields) {
    out.push_back(f.tag);
    encoding::write_be(out, f.value.size(), 2);
    out.insert(out.end(), f.value.bytes().begin(), f.value.bytes().end());
  }
  return frame;
}

Result<std::size_t> decode_header(std::span<const std::uint8_t> header) {
  if (header.size() < kHeaderSize) return protocol_error("message shorter than its 10-byte header");
  if (!std::equal(std::begin(kMagic), std::end(kMagic), header.begin()))
    return protocol_error("message does not start with the magic \"DMPH\"");
  if (header[4] != kVersion)
    return protocol_error("protocol version " + std::to_string(header[4]) +
                          " is not the supported version 1 (helper and dmp-sign differ?)");
  const std::uint64_t length = encoding::read_be(header.subspan(6), 4).value_or(0);
  if (length > kMaxPayload)
    return protocol_error("payload length " + std::to_string(length) + " is over the cap of " +
                          std::to_string(kMaxPayload));
  return static_cast<std::size_t>(length);
}

Result<Message> decode_message(std::span<const std::uint8_t> frame) {
  auto length = decode_header(frame);
  if (!length) return std::move(length).error();
  if (frame.size() != kHeaderSize + *length)
    return protocol_error(frame.size() < kHeaderSize + *length ? "message truncated"
                                                               : "bytes after the message");
  Message message;
  message.kind = frame[5];
  encoding::ByteReader rest(frame.subspan(kHeaderSize));
  while (rest.remaining() != 0) {
    if (message.fields.size() == kMaxFields) return protocol_error("more than 32 fields");
    if (!rest.has(kFieldHeaderSize)) return protocol_error("truncated field header");
    const auto tag = static_cast<std::uint8_t>(rest.read_uint(1));
    const std::size_t size = rest.read_uint(2);
    if (!rest.has(size))
      return protocol_error("field " + std::to_string(tag) + " runs past the payload");
    if (!message.fields.empty() && tag <= message.fields.back().tag)
      return protocol_error("field " + std::to_string(tag) + " repeated or out of order");
    message.add(tag, rest.read_bytes(size));
  }
  return message;
}

// --- Replies -----------------------------------------------------------------

Message ok_reply() {
  return Message{kKindOk, {}};
}

Message error_reply(Reason reason, std::string_view text) {
  Message reply{kKindError, {}};
  const std::uint8_t code = static_cast<std::uint8_t>(reason);
  reply.add(kTagReason, std::span(&code, 1));
  reply.add(kTagMessage, text);
  return reply;
}

Result<Message> open_reply(Message reply) {
  if (reply.kind == kKindOk) return reply;
  if (reply.kind != kKindError)
    return protocol_error("reply of kind " + std::to_string(reply.kind) +
                          " is neither ok nor error");
  const Field* reason = reply.find(kTagReason);
  const Field* text = reply.find(kTagMessage);
  if (reason == nullptr || reason->value.size() != 1 || text == nullptr)
    return protocol_error("error reply without a one-byte reason and a message");
  const auto code = static_cast<Reason>(reason->value.bytes()[0]);
  // A helper may only report reasons that exist, and never "ok".
  if (code == Reason::ok || std::string_view(reason_name(code)) == "unknown")
    return protocol_error("error reply with reason code " +
                          std::to_string(reason->value.bytes()[0]) + ", which does not exist");
  std::string message(text->value.bytes().begin(), text->value.bytes().end());
  // One line, printable: the message ends up on the operator's terminal.
  for (char& c : message)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return fail(code, "helper", message);
}

// --- File descriptors --------------------------------------------------------

Result<Message> read_message(int fd) {
  WipedBytes frame;
  frame.bytes().resize(kHeaderSize);
  if (!read_exact(fd, frame.bytes().data(), kHeaderSize))
    return protocol_error("the helper closed the pipe before a complete message header");
  auto length = decode_header(frame.span());
  if (!length) return std::move(length).error();
  // Grow in place once, to the announced (capped) size, before secrets land.
  WipedBytes whole;
  whole.bytes().reserve(kHeaderSize + *length);
  whole.bytes().assign(frame.bytes().begin(), frame.bytes().end());
  whole.bytes().resize(kHeaderSize + *length);
  if (!read_exact(fd, whole.bytes().data() + kHeaderSize, *length))
    return protocol_error("the helper closed the pipe inside a message");
  return decode_message(whole.span());
}

Status write_message(int fd, const Message& message) {
  auto frame = encode_message(message);
  if (!frame) return std::move(frame).error();
  std::size_t done = 0;
  const auto& bytes = frame->bytes();
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return fail(Reason::io_error, "helper pipe",
                  std::string("write failed: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return ok();
}

}  // namespace dmp::hsm::helper
