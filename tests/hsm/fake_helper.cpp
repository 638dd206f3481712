// A stand-in helper for the pipe-protocol tests: behaves as argv[1] says, so
// call_helper meets every way a real helper (or a broken, hostile one) can
// answer. Test-only; never installed.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "dmp/hsm/helper_protocol.hpp"

using namespace dmp::hsm::helper;

namespace {

void write_raw(std::string_view bytes) {
  if (::write(STDOUT_FILENO, bytes.data(), bytes.size()) < 0) std::exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string_view mode = argv[1];
  if (mode == "exit-unread") return 0;        // never reads, never answers
  if (mode == "crash") std::abort();          // killed by a signal, no reply
  auto request = read_message(STDIN_FILENO);  // every other mode reads first
  if (!request) return 4;
  if (mode == "exit-silently") return 0;  // reads, never answers

  if (mode == "echo") {  // ok reply carrying the request's fields, kind in tag 0x7f
    Message reply = ok_reply();
    for (const auto& f : request->fields)
      if (f.tag < 0x7f) reply.add(f.tag, f.value.span());
    const std::uint8_t kind = request->kind;
    reply.add(0x7f, std::span(&kind, 1));
    return write_message(STDOUT_FILENO, reply) ? 0 : 5;
  }
  if (mode == "error") {
    (void)write_message(STDOUT_FILENO, error_reply(dmp::Reason::wrong_passphrase,
                                                   "PIN incorrect,\n3 retries left"));
    return 1;
  }
  if (mode == "garbage") write_raw("HTTP/1.1 200 OK\r\n\r\n");
  if (mode == "huge-length") write_raw(std::string_view("DMPH\x01\x80\x7f\xff\xff\xff", 10));
  if (mode == "truncated") write_raw(std::string_view("DMPH\x01\x80\x00\x00\x00\x05\x01\x00", 12));
  if (mode == "two-replies" || mode == "ok-then-fail") {
    (void)write_message(STDOUT_FILENO, ok_reply());
    if (mode == "two-replies") (void)write_message(STDOUT_FILENO, ok_reply());
    return mode == "ok-then-fail" ? 7 : 0;
  }
  if (mode == "unknown-reason") {
    Message reply{kKindError, {}};
    const std::uint8_t code = 250;
    reply.add(kTagReason, std::span(&code, 1)).add(kTagMessage, "no such reason");
    (void)write_message(STDOUT_FILENO, reply);
    return 1;
  }
  if (mode == "wrong-kind") (void)write_message(STDOUT_FILENO, Message{0x05, {}});
  return 0;
}
