// libFuzzer target: the input is what a helper (dmp-sign-fido2,
// dmp-sign-pkcs11) writes on its pipe, hsm/helper_protocol.hpp. Aborts when
// an invariant breaks:
//   - a refusal is Reason::helper_protocol;
//   - an accepted frame is exactly one message: re-encoding it gives the
//     input byte for byte (one spelling per message), its tags increase and
//     its payload is within the cap;
//   - decode_header agrees with decode_message on the announced length;
//   - open_reply of an accepted frame is ok, a known non-ok reason, or
//     helper_protocol, with a one-line printable message;
//   - unpack_slots (the FIDO2 unwrap request's slot list) of any field value
//     refuses with helper_protocol or gives slots that pack_slots turns back
//     into exactly that value.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#include "dmp/hsm/fido2_protocol.hpp"
#include "dmp/hsm/helper_protocol.hpp"

namespace {

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_helper_protocol: invariant violated: %s\n", invariant);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dmp::hsm::helper;
  const std::span<const std::uint8_t> input(data, size);
  auto message = decode_message(input);
  auto header = decode_header(input);
  if (!message) {
    require(message.error().reason == dmp::Reason::helper_protocol, "refusals are helper_protocol");
    return 0;
  }
  require(header.has_value() && *header + kHeaderSize == size, "header announces the frame size");
  require(size - kHeaderSize <= kMaxPayload, "payload within the cap");
  for (std::size_t i = 1; i < message->fields.size(); ++i)
    require(message->fields[i - 1].tag < message->fields[i].tag, "tags strictly increase");
  auto again = encode_message(*message);
  require(again.has_value(), "an accepted message re-encodes");
  require(again->bytes().size() == size &&
              std::equal(again->bytes().begin(), again->bytes().end(), data),
          "re-encoding reproduces the frame");

  for (const auto& field : message->fields) {
    auto slots = dmp::hsm::fido2::unpack_slots(field.value.span());
    if (!slots) {
      require(slots.error().reason == dmp::Reason::helper_protocol,
              "slot refusals are helper_protocol");
      continue;
    }
    const auto packed = dmp::hsm::fido2::pack_slots(*slots);
    require(packed == field.value.bytes(), "pack_slots(unpack_slots(x)) == x");
  }

  auto opened = open_reply(std::move(message).value());
  if (!opened) {
    require(opened.error().reason != dmp::Reason::ok, "an error is never ok");
    for (const char c : opened.error().message())
      require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f,
              "error text is one printable line");
  }
  return 0;
}
