// The rotate and revoke commands that sign: each half of a two-laptop
// rotation, the one-step rotation with both keys, and the revocation. Each
// builds a ceremony (sign/ceremony.hpp) and restates none of its steps.
#pragma once

#include <string>

#include "dmp/result.hpp"
#include "sign/key_options.hpp"
#include "sign/rotation_common.hpp"

namespace dmp::cli::rotation {

enum class Half { old_key, new_key };

struct SignHalfCommand {
  bool abandon_unfinished = false;
  Half half = Half::old_key;
  KeyOptions key;
  HelperOptions helpers;
  LedgerOptions ledger;
  bool yes = false;
  std::string file;
  std::string out;
};
Status run_sign_half(const SignHalfCommand& c);

struct RotateCommand {
  bool abandon_unfinished = false;
  KeyOptions old_key;
  KeyOptions new_key;
  HelperOptions helpers;
  RotationFields fields;
  LedgerOptions ledger;
  bool yes = false;
  OutputOptions output;
};
Status run_rotate(const RotateCommand& c);

struct RevokeCommand {
  KeyOptions key;
  HelperOptions helpers;
  std::string subject_type;
  std::string subject;
  std::string reason;
  std::string ts;
  LedgerOptions ledger;
  bool yes = false;
  bool yes_i_mean_it = false;
  OutputOptions output;
};
Status run_revoke(const RevokeCommand& c);

}  // namespace dmp::cli::rotation
