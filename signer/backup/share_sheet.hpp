// A SLIP-39 share sheet: the text file (or screen) one share holder keeps.
// Every line but one starts with '#'; the one that does not is the share's
// mnemonic, its words separated by single spaces, so that `grep -v '^#'`,
// a person and `backup restore --share-file` all find the same words:
//
//   # dmp-signer SLIP-39 share: SECRET ...
//   # share:       group 1 of 2, member 2 of 3
//   # threshold:   2 of the 3 shares of group 1; 2 of the 2 groups
//   # restores:    public key <64 hex>
//   # fingerprint: <fingerprint>
//   # made:        2026-12-07
//   ...
//   academic acid ... (33 words)
//   #
//   #  1 academic     12 ...          23 ...
//
// Pure text in, text out: the caller reads and writes the files (0600) and
// keeps both the sheet and the mnemonic in guarded memory.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "backup/slip39.hpp"
#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::backup {

// A share file is small; anything larger is not one (and is not read whole).
inline constexpr std::size_t kMaxShareSheetLen = 64 * 1024;

// What a sheet says about its share besides the words.
struct SheetFacts {
  PublicKey public_key{};
  std::string fingerprint;  // hsm::fingerprint of public_key
  std::string date;         // "2026-12-07" (UTC)
  std::string png_name;     // the QR code's file beside the sheet, "" when none
  std::string copy_note;    // "copy 2 of 3 ..." for a 1-of-N group's sheets, else ""
};

// The sheet for one share, whose mnemonic is `mnemonic` (encode_mnemonic's
// text). The words appear twice: on the one uncommented line, and numbered in
// columns for copying by hand.
hsm::SecretBuffer format_share_sheet(const slip39::Share& share, std::string_view mnemonic,
                                     const SheetFacts& facts);

// The mnemonic of a sheet: its one line that does not start with '#' (blank
// lines and trailing white space ignored; CRLF accepted). Reason::key_format
// when there is none or more than one; the mnemonic's own rules are
// decode_mnemonic's.
Result<hsm::SecretBuffer> sheet_mnemonic(std::span<const std::uint8_t> sheet);

// The sheet's file name for a share: "share-<group>-<member>.txt", counted
// from 1 as the holders count.
std::string sheet_file_name(const slip39::Share& share, std::string_view extension = "txt");

}  // namespace dmp::backup
