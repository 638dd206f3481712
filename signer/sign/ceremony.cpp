#include "sign/ceremony.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "common/private_file.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "ledger/ledger_anchor.hpp"
#include "ledger/ledger_store.hpp"
#include "ledger/wire_archive.hpp"
#include "output/terminal_text.hpp"
#include "sign/confirm.hpp"
#include "sign/fault_injection.hpp"

namespace dmp::cli {
namespace {

std::string anchor_text(const std::vector<ledger::Entry>& entries) {
  return ledger::format_anchor(ledger::anchor_of(entries));
}

std::string where(const std::string& out) {
  return out.empty() || out == "-" ? std::string("standard output") : out;
}

// Colour when the review goes to a terminal and the operator did not turn
// it off (NO_COLOR, TERM=dumb); carets otherwise.
output::MarkStyle review_style() {
  return output::choose_mark_style(::isatty(STDERR_FILENO) == 1, std::getenv("NO_COLOR"),
                                   std::getenv("TERM"));
}

Status confirm(const Confirmation& c) {
  if (c.skip) return ok();
  if (!c.typed.empty()) return confirm_by_typing(c.question, c.typed, c.skip_flag);
  return confirm_yes_no(c.question, c.skip_flag);
}

// Every signer's signature over every item, one key unlocked at a time (a
// second key is never in memory beside the first). signatures[item][signer].
Result<std::vector<std::vector<Signature>>> sign_all(const CeremonySpec& spec,
                                                     const std::vector<CeremonyItem>& items) {
  std::vector<std::vector<Signature>> signatures(items.size());
  for (const CeremonySigner& signer : spec.signers) {
    auto key = keyfile::unlock_signing_key(signer.key_ref, signer.access);
    if (!key) return key.error();
    crash_point("unlocked");
    if ((*key)->public_key() != signer.expected) {
      return fail(Reason::key_mismatch, "key",
                  signer.key_ref + " unlocked to " + hsm::fingerprint((*key)->public_key()) +
                      ", not the reviewed key " + hsm::fingerprint(signer.expected) +
                      "; nothing signed");
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto signature = (*key)->sign(items[i].body);
      if (!signature) return signature.error();
      signatures[i].push_back(*signature);
    }
    crash_point("signed");
  }
  return signatures;
}

// One item after the batch's group commit: archive -> publish. `recorded`
// are its ledger entries, already durable.
Status archive_and_publish(const CeremonySpec& spec, const CeremonyItem& item,
                           const std::string& assembled,
                           const std::vector<ledger::Entry>& recorded) {
  std::vector<std::uint64_t> indices;
  for (const ledger::Entry& entry : recorded)
    indices.push_back(entry.index);
  // The archive is what makes a failed publish recoverable without signing
  // again; its own failure must not stop the publish.
  bool archived = true;
  for (const std::uint64_t index : indices) {
    if (auto kept = ledger::archive_output(spec.state_dir, index, assembled); !kept) {
      archived = false;
      std::fprintf(stderr, "dmp-sign: warning: %s\n",
                   output::terminal_safe(kept.error().message()).c_str());
    }
  }
  const std::string was_recorded =
      " (ledger entry " + std::to_string(indices.back()) + " was recorded" +
      (archived ? "; the signed output is kept in the state directory: write it again with "
                  "dmp-sign ledger reemit --state-dir " +
                      spec.state_dir + " --entry " + std::to_string(indices.back()) + " --out FILE"
                : "") +
      ")";
  auto text = item.render(assembled);
  if (!text) {
    return fail(text.error().reason, text.error().field, text.error().rule + was_recorded);
  }
  if (auto written = write_output(item.out, *text, item.newline); !written) {
    return fail(written.error().reason, written.error().field, written.error().rule + was_recorded);
  }
  crash_point("wire_written");
  // Quiet: the one line per record carries the anchor for the paper log, at
  // this record's entry (a batch commits every entry before the first wire).
  const std::string anchor =
      spec.quiet ? " (ledger anchor " +
                       ledger::format_anchor({recorded.back().index, recorded.back().hash}) + ")"
                 : std::string();
  std::fprintf(stderr, "dmp-sign: %s -> %s%s\n", output::terminal_safe(item.done).c_str(),
               output::terminal_safe(where(item.out)).c_str(), anchor.c_str());
  return ok();
}

}  // namespace

Status write_output(const std::string& out, const std::string& text, bool newline) {
  if (out.empty() || out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (newline) std::fputc('\n', stdout);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      return fail(Reason::io_error, "standard output", "write failed");
    }
    return ok();
  }
  return publish_file(out,
                      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void protect_key_files(OutputTargets& targets, const std::string& key_ref,
                       const keyfile::KeyAccess& access, const std::string& option_prefix) {
  if (key_ref.rfind("pkcs11:", 0) != 0) {
    targets.protected_files.push_back({key_ref, "the key file (--" + option_prefix + "key)"});
  }
  const auto add = [&](const std::optional<std::string>& file, const std::string& what) {
    if (file) targets.protected_files.push_back({*file, what});
  };
  add(access.passphrase.file, "the passphrase file (--" + option_prefix + "passphrase-file)");
  add(access.fido2.pin.file, "the PIN file (--" + option_prefix + "pin-file)");
  add(access.pkcs11.pin.file, "the PIN file (--" + option_prefix + "pin-file)");
}

Status run_ceremony(const CeremonySpec& spec) {
  if (auto preflight = preflight_outputs(spec.targets); !preflight) return preflight;
  auto ledger = ledger::LockedLedger::open(spec.state_dir, spec.lock_wait);
  if (!ledger) return ledger.error();
  auto plan = spec.plan((*ledger)->entries());
  if (!plan) return plan.error();
  if (plan->items.empty() && plan->refusal_alone && plan->first_refusal) {
    return *plan->first_refusal;
  }
  output::MarkedText review;
  review.line("dmp-sign: review");
  review.add(plan->review);
  review.line("  ledger anchor before: " + anchor_text((*ledger)->entries()));
  // Every piece was escaped once as it was added to the review (a field's
  // newline shows as \x0a and cannot start a line); escaping the rendered
  // text again would turn each escape into `\\x..`.
  if (spec.quiet) {
    for (const std::string& line : plan->quiet_lines)
      std::fprintf(stderr, "dmp-sign: %s\n", output::terminal_safe(line).c_str());
  } else {
    std::fputs(output::render_marked(review, review_style()).c_str(), stderr);
  }
  if (plan->items.empty()) {
    if (plan->first_refusal) return *plan->first_refusal;
    return fail(Reason::usage, "", "nothing to sign");
  }
  Confirmation confirmation = spec.confirm;
  if (!plan->question.empty()) confirmation.question = plan->question;
  if (auto confirmed = confirm(confirmation); !confirmed) return confirmed;
  crash_point("confirmed");
  auto signatures = sign_all(spec, plan->items);
  if (!signatures) return signatures.error();

  std::optional<Error> first_error = plan->first_refusal;
  const auto item_failed = [&](const CeremonyItem& item, const Error& error) {
    if (plan->items.size() > 1) {
      std::fprintf(stderr, "dmp-sign: %s: %s [%s]\n", output::terminal_safe(item.label).c_str(),
                   output::terminal_safe(error.message()).c_str(), reason_name(error.reason));
    }
    if (!first_error) first_error = error;
  };
  // self-verify every item -> one group commit of all their ledger entries
  // (durable before any output exists) -> archive and publish each. An item
  // whose output does not verify is left out of the commit and not written.
  std::vector<std::optional<std::string>> assembled(plan->items.size());
  std::vector<ledger::Entry> batch;
  for (std::size_t i = 0; i < plan->items.size(); ++i) {
    auto built = plan->items[i].assemble((*signatures)[i]);
    if (!built) {
      item_failed(plan->items[i], built.error());
      continue;
    }
    assembled[i] = std::move(*built);
    batch.insert(batch.end(), plan->items[i].entries.begin(), plan->items[i].entries.end());
  }
  crash_point("verified");
  auto appended = (*ledger)->append_all(std::move(batch));
  if (!appended) return appended.error();
  std::size_t next_entry = 0;
  for (std::size_t i = 0; i < plan->items.size(); ++i) {
    if (!assembled[i]) continue;
    const auto first = appended->begin() + static_cast<std::ptrdiff_t>(next_entry);
    next_entry += plan->items[i].entries.size();
    const std::vector<ledger::Entry> recorded(
        first, first + static_cast<std::ptrdiff_t>(plan->items[i].entries.size()));
    if (auto done = archive_and_publish(spec, plan->items[i], *assembled[i], recorded); !done) {
      item_failed(plan->items[i], done.error());
    }
  }
  if (!spec.quiet) {
    std::fprintf(stderr,
                 "dmp-sign: ledger anchor now %s (write it in the paper log; check it next time "
                 "with: dmp-sign ledger verify --expect-head %s)\n",
                 anchor_text((*ledger)->entries()).c_str(),
                 anchor_text((*ledger)->entries()).c_str());
  }
  if (first_error) return *first_error;
  return ok();
}

}  // namespace dmp::cli
