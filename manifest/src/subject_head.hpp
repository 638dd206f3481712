// The head both key-lifecycle bodies share (§4.3, §4.4): magic, subject type
// (1 byte), subject length (1 byte) and subject bytes. Reading it applies the
// reference's checks in its order; what follows is each record's own.
#pragma once

#include <string>
#include <string_view>

#include "byte_io.hpp"
#include "dmp/key_records.hpp"
#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::detail {

struct SubjectHead {
  SubjectType type = SubjectType::cluster_operator;
  std::string subject;
};

// Appends magic, type, length and the subject exactly as given (no dot
// stripped, case kept).
void put_subject_head(Bytes& body, std::string_view magic, SubjectType type,
                      const std::string& subject);

// Reads the head after the caller's minimum-length check; then exactly
// `tail_len` bytes (`tail_fields` names them in the message) must remain.
Result<SubjectHead> read_subject_head(encoding::ByteReader& reader, std::string_view magic,
                                      std::size_t tail_len, std::string_view tail_fields);

}  // namespace dmp::detail
