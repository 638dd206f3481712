#include "sign/draft_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>

#include "common/file_io.hpp"
#include "common/private_file.hpp"
#include "common/time_text.hpp"
#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/names.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "input/draft_edits.hpp"
#include "input/unsigned_record.hpp"
#include "output/key_text.hpp"
#include "output/marked_text.hpp"
#include "output/record_diff.hpp"
#include "output/record_text.hpp"
#include "output/terminal_text.hpp"
#include "output/unsigned_json.hpp"
#include "qr/qr_commands.hpp"
#include "sign/key_options.hpp"
#include "sign/output_preflight.hpp"
#include "sign/sign_pipeline.hpp"
#include "verify/trust_file.hpp"

namespace dmp::cli {
namespace {

constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;
constexpr std::uint64_t kDefaultValidity = 365ULL * 86400;  // the reference generator's default

struct DraftCommand {
  std::string from;
  std::size_t record = 0;  // --record N; 0: not given
  std::string pubkey;
  std::string pubkey_file;
  std::string trust;
  bool unverified = false;
  std::string new_type;      // --new cluster|bootstrap
  std::string name;          // --name
  std::string cluster_name;  // --cluster-name (the reference generator's flag)
  input::DraftEdits edits;
  std::string seq = "auto";
  std::string exp;
  std::string expires_in;
  std::uint64_t exp_days = 0;  // --exp-days N; 0: not given
  std::string now;
  std::string out = "-";
  bool qr = false;
};

Failure usage(const std::string& field, const std::string& rule) {
  return fail(Reason::usage, field, rule);
}

Result<std::string> read_small_file(const std::string& path) {
  auto read = read_file_capped(path, kMaxKeyFileBytes, Accept::regular_file);
  if (!read) return fail(Reason::io_error, read.error().field, read.error().rule);
  if (read->over_cap) return usage(path, "larger than 64 KiB; not a key or trust file");
  return std::move(read->bytes);
}

// The keys the published record may verify under: --pubkey, --pubkey-file,
// or the --trust pins for its type and name (several during a rotation).
Result<std::vector<PublicKey>> pinned_keys(const DraftCommand& c, RecordType type,
                                           std::string_view name) {
  if (!c.pubkey.empty()) {
    auto key = encoding::public_key_from_hex(c.pubkey, "--pubkey");
    if (!key) return fail(Reason::usage, key.error().field, key.error().rule);
    if (auto pinnable = check_pinnable_key(*key, "--pubkey"); !pinnable) return pinnable.error();
    return std::vector<PublicKey>{*key};
  }
  if (!c.pubkey_file.empty()) {
    auto text = read_small_file(c.pubkey_file);
    if (!text) return text.error();
    auto key = parse_pubkey_file_text(*text, c.pubkey_file);
    if (!key) return key.error();
    return std::vector<PublicKey>{*key};
  }
  auto text = read_small_file(c.trust);
  if (!text) return text.error();
  auto store = parse_trust_text(*text, c.trust);
  if (!store) return store.error();
  const auto keys = store->keys_for(type, name);
  if (keys.empty()) {
    return fail(Reason::key_mismatch, "--trust " + c.trust,
                "pins no key for " + std::string(record_type_name(type)) + " " + std::string(name));
  }
  return std::vector<PublicKey>(keys.begin(), keys.end());
}

Result<input::ExpirySpec> expiry_of(const DraftCommand& c) {
  const int given = (c.exp.empty() ? 0 : 1) + (c.expires_in.empty() ? 0 : 1) + (c.exp_days ? 1 : 0);
  if (given > 1) return usage("--exp", "give one of --exp, --expires-in and --exp-days");
  if (!c.exp.empty()) {
    auto instant = parse_time_text(c.exp, "--exp");
    if (!instant) return fail(Reason::usage, instant.error().field, instant.error().rule);
    return input::ExpirySpec{false, *instant};
  }
  if (c.exp_days) {
    if (c.exp_days > std::numeric_limits<std::uint64_t>::max() / 86400) {
      return usage("--exp-days", "is too large");
    }
    return input::ExpirySpec{true, c.exp_days * 86400};
  }
  if (c.expires_in.empty()) return input::ExpirySpec{true, kDefaultValidity};
  auto seconds = input::parse_duration(c.expires_in, "--expires-in");
  if (!seconds) return fail(Reason::usage, seconds.error().field, seconds.error().rule);
  return input::ExpirySpec{true, *seconds};
}

Result<input::SeqSpec> seq_of_flag(const std::string& text) {
  if (text == "auto") return input::SeqSpec{true, 0};
  auto value = parse_decimal_u64(text, "--seq");
  if (!value) return usage("--seq", "must be a whole number 0..2^64-1 or auto");
  return input::SeqSpec{false, *value};
}

// The published record, decoded and (unless --unverified) verified.
struct Published {
  Record record;
  std::string wire;
  std::string origin;  // for the summary: where it came from, how it was checked
};

Result<Published> read_published(const DraftCommand& c, const std::optional<std::string>& name) {
  auto bytes = read_published_bytes(c.from);
  if (!bytes) return bytes.error();
  auto published = published_record_of(
      c.from, *bytes, c.record == 0 ? std::nullopt : std::optional<std::size_t>(c.record));
  if (!published) return published.error();
  const std::string& wire = published->wire;
  const auto type = record_type_of_wire(wire);
  if (!type || (*type != RecordType::cluster && *type != RecordType::bootstrap)) {
    return fail(Reason::bad_prefix, c.from,
                "not a ClusterManifest or BootstrapRecord wire (draft makes those; rotation and "
                "revocation records come from dmp-sign rotate and revoke)");
  }
  auto opened = open_wire(wire, *type);
  if (!opened) return fail(opened.error().reason, c.from, opened.error().message());
  auto decoded = decode_body(*type, opened->blob.body);
  if (!decoded) return fail(decoded.error().reason, c.from, decoded.error().message());
  const std::string signed_as(signed_name(*decoded));
  if (published->owner && !owner_matches(*published->owner, rrset_name(*decoded))) {
    return fail(Reason::name_mismatch, c.from,
                "the zone owner " + *published->owner + " is not the record's RRset " +
                    rrset_name(*decoded) + ": the line was copied from another name");
  }
  if (name && !name_matches_expected(signed_as, *name)) {
    return fail(Reason::name_mismatch, c.from,
                "the record is for " + signed_as + ", not " + *name + " (--name/--cluster-name)");
  }
  Published out{*decoded, wire, ""};
  if (c.unverified) {
    out.origin = c.from + " (UNVERIFIED: --unverified; the laptop verifies it under its key)";
    return out;
  }
  auto keys = pinned_keys(c, *type, signed_as);
  if (!keys) return keys.error();
  // Time is not held against it: a lapsed record is what one renews. The
  // summary says when it expired.
  const VerifyOptions options{.now = now_within_window(0, exp_of(*decoded)),
                              .expected_name = signed_as};
  Error last;
  for (const PublicKey& key : *keys) {
    auto verified = verify(wire, key, options);
    if (verified) {
      out.record = std::move(*verified);
      out.origin = c.from + " (verified under " + output::key_text(key) + ")";
      return out;
    }
    last = verified.error();
  }
  return fail(last.reason, c.from,
              "does not verify under the pinned key" + std::string(keys->size() > 1 ? "s" : "") +
                  ": " + last.message() +
                  " (--unverified drafts from it anyway; the laptop still verifies it)");
}

// Exactly one start: --from (the next version) or --new (a first one).
Status check_start(const DraftCommand& c, std::string& new_type) {
  if (!c.name.empty() && !c.cluster_name.empty()) {
    return usage("--cluster-name", "is --name for a ClusterManifest; give one of the two");
  }
  if (!c.cluster_name.empty() && c.from.empty() && new_type.empty()) new_type = "cluster";
  if (!c.cluster_name.empty() && new_type == "bootstrap") {
    return usage("--cluster-name", "names a ClusterManifest, not a bootstrap record (--name)");
  }
  if (c.from.empty() == new_type.empty()) {
    return usage("", c.from.empty() ? "give --from PUBLISHED (the next version of a published "
                                      "record) or --new cluster|bootstrap --name NAME"
                                    : "--from and --new exclude each other");
  }
  if (c.from.empty()) {
    if (c.name.empty() && c.cluster_name.empty()) return usage("--name", "--new needs --name NAME");
    if (c.record != 0) return usage("--record", "chooses among the records of --from");
    if (c.unverified || !c.trust.empty()) {
      return usage(c.unverified ? "--unverified" : "--trust",
                   "verifies the --from record; --new has none (--pubkey sets the key the "
                   "laptop must sign with)");
    }
    return ok();
  }
  const int keys =
      (c.pubkey.empty() ? 0 : 1) + (c.pubkey_file.empty() ? 0 : 1) + (c.trust.empty() ? 0 : 1);
  if (keys > 1) return usage("--pubkey", "give one of --pubkey, --pubkey-file and --trust");
  if (keys == 0 && !c.unverified) {
    return usage("--pubkey",
                 "the published record is verified before it is drafted from: give "
                 "--pubkey, --pubkey-file or --trust (the key clients pin), or "
                 "--unverified");
  }
  if (keys == 1 && c.unverified) return usage("--unverified", "excludes a pinned key");
  return ok();
}

Record start_record(const std::string& type, const std::string& name) {
  if (type == "cluster") {
    ClusterManifest manifest;
    manifest.cluster_name = name;
    return manifest;
  }
  BootstrapRecord bootstrap;
  bootstrap.user_domain = name;
  return bootstrap;
}

void set_header(Record& record, const PublicKey& key, std::uint64_t seq, std::uint64_t exp) {
  std::visit(
      [&](auto& r) {
        if constexpr (std::is_same_v<std::decay_t<decltype(r)>, ClusterManifest>) {
          r.operator_spk = key;
        } else {
          r.signer_spk = key;
        }
        r.seq = seq;
        r.exp = exp;
      },
      record);
}

output::MarkedText summary(const Record& record, const std::optional<Published>& before,
                           const input::SeqSpec& seq, const input::ExpirySpec& expiry,
                           std::uint64_t now, bool key_pinned, const std::string& out) {
  output::MarkedText text;
  text.line("draft of ").add(rrset_name(record));
  if (before) {
    text.line("  from: ").add(before->origin);
    if (exp_of(before->record) < now) {
      text.line("  note: the published record expired " +
                format_rfc3339_utc(exp_of(before->record)));
    }
  } else {
    text.line("  new: no published record; sign it with --first on the laptop");
  }
  // A first record without --pubkey has no key yet: no line of zeros.
  const bool key_known = key_pinned || before.has_value();
  const output::MarkedText described = output::describe_record(record, now, "  ");
  for (const output::MarkedLine& line : described.lines()) {
    if (key_known || line.plain().rfind("  signing key ", 0) != 0) text.add(line);
  }
  if (before) {
    const auto diff = output::diff_records(before->record, record, "    ");
    text.line("  changes against the published record").add(diff.empty() ? ": none" : ":");
    text.add(diff);
  }
  if (seq.automatic) {
    text.line("  seq \"auto\": the laptop signs " + std::to_string(seq_of(record)) +
              ", or one above the highest its ledger has signed for the name");
  }
  if (expiry.relative) {
    text.line("  expires_in " + output::duration_text(expiry.value) +
              ": counted from the laptop's signing clock (shown here from this machine's)");
  }
  if (!key_pinned) {
    text.line(before ? "  signing key: the laptop's, which must verify the published record"
                     : "  signing key: the laptop's (--pubkey would pin which one)");
  }
  text.line("  written to ").add(out == "-" ? std::string("standard output") : out);
  return text;
}

Status run_draft(const DraftCommand& c) {
  std::string new_type = c.new_type;
  if (auto start = check_start(c, new_type); !start) return start;
  if (c.qr) {
    if (auto display = check_qr_display(QrShowOptions{}); !display) return display;
  }
  auto now = resolve_clock(c.now);
  if (!now) return now.error();
  auto expiry = expiry_of(c);
  if (!expiry) return expiry.error();
  auto seq = seq_of_flag(c.seq);
  if (!seq) return seq.error();
  const std::string name_flag = c.name.empty() ? c.cluster_name : c.name;

  std::optional<Published> published;
  Record record;
  std::optional<PublicKey> signing_key;
  if (!c.from.empty()) {
    auto read =
        read_published(c, name_flag.empty() ? std::nullopt : std::optional<std::string>(name_flag));
    if (!read) return read.error();
    published = std::move(*read);
    record = published->record;
  } else {
    record = start_record(new_type, name_flag);
    if (!c.pubkey.empty() || !c.pubkey_file.empty()) {
      auto keys = pinned_keys(c, type_of(record), name_flag);
      if (!keys) return keys.error();
      signing_key = keys->front();
    }
  }

  auto edited = input::apply_edits(record, c.edits);
  if (!edited) return edited.error();
  if (published && !c.edits.empty() && *edited == published->record) {
    return usage("", "the edits leave the record as published");
  }

  // What the laptop will sign at the least: seq above the published one.
  const std::uint64_t floor = published ? seq_of(published->record) : 0;
  if (published && floor == std::numeric_limits<std::uint64_t>::max()) {
    return fail(Reason::seq_not_increasing, "seq",
                "the published seq is 2^64-1; nothing can follow it");
  }
  if (!seq->automatic && published && seq->value <= floor) {
    return fail(Reason::seq_not_increasing, "--seq",
                std::to_string(seq->value) + " is not above the published seq " +
                    std::to_string(floor) + "; use " + std::to_string(floor + 1) + " or auto");
  }
  const std::uint64_t resolved_seq = seq->automatic ? floor + 1 : seq->value;
  if (resolved_seq == std::numeric_limits<std::uint64_t>::max()) {
    return fail(Reason::invalid_field, "--seq",
                "2^64-1 leaves no seq above it, so nothing could ever replace the record; sign "
                "refuses it without --allow-max-seq");
  }
  std::uint64_t exp = expiry->value;
  if (expiry->relative) {
    if (exp > std::numeric_limits<std::uint64_t>::max() - *now) {
      return usage("--expires-in", "now + the validity overflows 64 bits");
    }
    exp += *now;
  }
  if (auto policy = check_expiry_policy(exp, *now, std::nullopt); !policy) return policy;

  // The field rules sign applies, on the record as the laptop would sign it.
  if (auto safe = input::check_terminal_safe_fields(*edited); !safe) return safe;
  const PublicKey display_key =
      signing_key ? *signing_key : (published ? signing_key_of(published->record) : PublicKey{});
  Record resolved = *edited;
  set_header(resolved, display_key, resolved_seq, exp);
  auto normalized = normalize(resolved);
  if (!normalized) return normalized.error();
  auto body = encode_body(*normalized);
  if (!body) return body.error();
  if (auto sized = assemble_wire(type_of(*normalized), *body, Signature{}); !sized) {
    return sized.error();
  }

  const std::string text = output::unsigned_record_json(
      output::UnsignedJson{*normalized, *seq, *expiry, signing_key,
                           published ? std::optional<std::string>(published->wire) : std::nullopt});
  // What draft writes is only ever what sign reads.
  auto reread = input::parse_unsigned_record(text);
  if (!reread) {
    return fail(Reason::malformed, "draft",
                "internal error: the draft does not parse back (" + reread.error().message() + ")");
  }

  if (c.out != "-") {
    std::vector<ProtectedFile> inputs;
    for (const std::string* path : {&c.from, &c.pubkey_file, &c.trust}) {
      if (!path->empty() && *path != "-") inputs.push_back({*path, "an input file"});
    }
    // This machine's state directory too, should it also sign.
    const auto state = resolve_state_dir("");
    if (auto preflight = preflight_outputs(OutputTargets{{c.out}, inputs, state ? *state : ""});
        !preflight) {
      return preflight;
    }
  }
  const output::MarkStyle style = output::choose_mark_style(
      ::isatty(STDERR_FILENO) == 1, std::getenv("NO_COLOR"), std::getenv("TERM"));
  std::fputs(output::render_marked(summary(*normalized, published, *seq, *expiry, *now,
                                           signing_key.has_value(), c.out),
                                   style)
                 .c_str(),
             stderr);
  if (c.out != "-") {
    auto written = publish_file(
        c.out, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    if (!written) return written;
  }
  // --qr: the draft as QR codes for the laptop's camera (instead of the
  // JSON on standard output, or after it was written to --out).
  if (c.qr) return show_as_qr(text, QrShowOptions{});
  if (c.out != "-") return ok();
  std::fputs(text.c_str(), stdout);
  return std::fflush(stdout) == 0 ? ok()
                                  : fail(Reason::io_error, "standard output", "write failed");
}

}  // namespace

void add_draft_command(CLI::App& app, std::function<Status()>& run) {
  auto c = std::make_shared<DraftCommand>();
  auto* cmd = app.add_subcommand(
      "draft", "write the next unsigned record from the published one (online side; no key)");
  cmd->add_option("--from", c->from,
                  "the published record: a wire, a zone line, dig or dig +short output (- for "
                  "standard input)");
  cmd->add_option("--record", c->record,
                  "of a --from input holding several DMP records, use the Nth (from 1)")
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  cmd->add_option("--pubkey", c->pubkey,
                  "verify --from under this key (64 hex); with --new, the key the laptop must "
                  "sign with");
  cmd->add_option("--pubkey-file", c->pubkey_file,
                  "the same, from a file (hex, or the reference's "
                  "key=value file)");
  cmd->add_option("--trust", c->trust, "verify --from under the pins of a dmp-verify trust file");
  cmd->add_flag("--unverified", c->unverified,
                "draft from a --from record that is not verified here (the laptop verifies it)");
  cmd->add_option("--new", c->new_type, "start a first record: cluster or bootstrap")
      ->check(CLI::IsMember({"cluster", "bootstrap"}));
  cmd->add_option("--name", c->name,
                  "with --new: the cluster name or user domain; with --from: "
                  "the name the record must have");
  cmd->add_option("--cluster-name", c->cluster_name,
                  "--name of a ClusterManifest (generate-cluster-manifest.py's flag; implies "
                  "--new cluster without --from)");
  cmd->add_option("--add-node", c->edits.add_nodes, "add a node: ID=URL[,dns=HOST:PORT]");
  cmd->add_option("--remove-node", c->edits.remove_nodes, "remove the node with this ID");
  cmd->add_option("--set-node", c->edits.set_nodes,
                  "replace a node's endpoints: ID=URL[,dns=HOST:PORT] (no dns= removes it)");
  cmd->add_option("--add-entry", c->edits.add_entries,
                  "add a bootstrap entry: PRIORITY:DOMAIN:KEYHEX");
  cmd->add_option("--remove-entry", c->edits.remove_entries,
                  "remove the entry for DOMAIN (PRIORITY:DOMAIN when it has several)");
  cmd->add_option("--set-priority", c->edits.set_priorities,
                  "change an entry's priority: DOMAIN=P (PRIORITY:DOMAIN=P when several)");
  cmd->add_option("--seq", c->seq, "auto (default: one above the published and the ledger) or N");
  cmd->add_option("--expires-in", c->expires_in,
                  "validity from the laptop's signing clock, e.g. 365d (the default), 12h, 2w");
  cmd->add_option("--exp", c->exp, "expiry as unix seconds or an RFC 3339 time");
  cmd->add_option("--exp-days", c->exp_days,
                  "validity in days (generate-cluster-manifest.py's flag: --expires-in Nd)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--now", c->now, "the clock for the summary and the expiry checks");
  cmd->add_option("--out", c->out, "the draft JSON file, or - for standard output (default)");
  cmd->add_flag("--qr", c->qr,
                "show the draft as QR codes on this terminal (for dmp-sign qr scan on the laptop)");
  cmd->footer(
      "Edits apply removals first, then changes, then additions; the summary goes to standard\n"
      "error. Examples:\n"
      "  dig +short TXT cluster.mesh.example.com | dmp-sign draft --from - --pubkey $SPK \\\n"
      "      --add-node n4=https://n4.mesh.example.com:8053,dns=203.0.113.14:53 --out next.json\n"
      "  dmp-sign draft --new bootstrap --name example.com \\\n"
      "      --add-entry 10:mesh.example.com:$SPK --out bootstrap.json");
  cmd->callback([&run, c] { run = [c] { return run_draft(*c); }; });
}

}  // namespace dmp::cli
