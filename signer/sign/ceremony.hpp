// The one signing ceremony. Every command that signs (sign, renew, the two
// rotate halves, the one-step rotate, revoke) describes what it wants signed
// and hands the description to run_ceremony, which runs the steps in this
// order and is the only code that does:
//
//   preflight outputs -> lock ledger -> plan (seq and key checks, review
//   text) -> review -> confirm -> unlock key(s) -> sign -> self-verify ->
//   ledger append (fsync) -> archive the output in the state dir -> publish
//   -> release the lock
//
// Nothing is written before the ledger entry is durable, no wire leaves
// without its entry, and an output that fails after the entry can be written
// again with `dmp-sign ledger reemit` (the message says how) instead of
// signing a second time.
//
// Commands that sign nothing are not ceremonies, but write through the same
// guards: `ledger import` appends marks under the lock through the store's
// read-back check and can only raise a floor; `ledger export`, `ledger
// reemit` and `rotate assemble` pass preflight_outputs before writing.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dmp/records.hpp"
#include "keyfile/key_access.hpp"
#include "ledger/ledger_format.hpp"
#include "output/marked_text.hpp"
#include "sign/output_preflight.hpp"

namespace dmp::cli {

// One key that signs every item of the ceremony, in the order given.
struct CeremonySigner {
  std::string key_ref;  // --key: a key file or a PKCS#11 URI
  keyfile::KeyAccess access;
  PublicKey expected{};  // the key the body names; unlocking another is refused
};

// One thing to sign, as planned under the ledger lock.
struct CeremonyItem {
  std::string label;  // input file or subject, for messages
  Bytes body;         // what every signer signs
  // Appended (in order) once every signature is made and the assembled
  // output verified; at least one.
  std::vector<ledger::Entry> entries;
  // Builds what is published from one signature per signer, and verifies it
  // as a client would: an error means nothing is written or recorded.
  std::function<Result<std::string>(const std::vector<Signature>&)> assemble;
  // The text written to `out` (a format applied to the assembled output),
  // read at publish time (so it may merge with a file changed meanwhile).
  std::function<Result<std::string>(const std::string& assembled)> render;
  std::string out;       // file, or "" / "-" for standard output
  bool newline = false;  // standard output: end with a newline
  std::string done;      // "signed cluster.x seq 5", said on stderr after publishing
};

// What the plan step produces: the review and the items that may be signed.
struct CeremonyPlan {
  // Everything below the "dmp-sign: review" line; its fields escaped once,
  // as they were added, and changed characters marked.
  output::MarkedText review;
  std::vector<CeremonyItem> items;
  std::optional<Error> first_refusal;  // an item refused (shown in the review)
  bool refusal_alone = false;          // nothing to review: return the refusal as the one line
  std::string question;                // overrides the spec's confirmation question when set
  // What a quiet run (--quiet, with --yes) prints instead of the review:
  // every refusal and warning, one line each, "SOURCE: ..." (unescaped).
  std::vector<std::string> quiet_lines;
};

struct Confirmation {
  bool skip = false;      // --yes / --yes-i-mean-it
  std::string question;   // yes/no question, or the typed prompt
  std::string typed;      // non-empty: the operator must type this text
  std::string skip_flag;  // named when there is no terminal
};

struct CeremonySpec {
  std::string state_dir;
  std::chrono::milliseconds lock_wait{10000};
  OutputTargets targets;  // every output, and what may never be written over
  std::vector<CeremonySigner> signers;
  // Runs under the lock over the ledger's verified entries.
  std::function<Result<CeremonyPlan>(const std::vector<ledger::Entry>&)> plan;
  Confirmation confirm;
  bool quiet = false;  // print plan.quiet_lines, not the review; the anchor on each line
};

Status run_ceremony(const CeremonySpec& spec);

// The protected files of a key reference: the key file itself (not a
// PKCS#11 URI), its passphrase file and PIN file.
void protect_key_files(OutputTargets& targets, const std::string& key_ref,
                       const keyfile::KeyAccess& access, const std::string& option_prefix);

// Writes `text` to standard output ("" or "-") or publishes it atomically.
Status write_output(const std::string& out, const std::string& text, bool newline);

}  // namespace dmp::cli
