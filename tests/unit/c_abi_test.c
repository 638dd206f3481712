/*
 * C ABI test for dmp/verify.h, compiled as C11 and linked against
 * libdmpverify. It reads the reference vectors at test time (they are never
 * copied into this repository): the vectors directory comes from
 * $DMP_VECTORS_DIR or argv[1]. The first "expected_wire_hex" of each file is
 * the round-trip case 0 wire.
 *
 * Exit status: 0 pass, 1 failure, 77 skipped (vectors missing, not under CI).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmp/verify.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#define CHECK_RC(expr, want)                                                                       \
  do {                                                                                             \
    const int rc_ = (expr);                                                                        \
    if (rc_ != (want)) {                                                                           \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d (%s)\n", __FILE__, __LINE__, #expr, \
              rc_, dmp_reason_name(rc_), (want), dmp_reason_name(want));                           \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

#define CHECK_STR(got, want)                                                              \
  do {                                                                                    \
    const char* got_ = (got);                                                             \
    if (got_ == NULL || strcmp(got_, (want)) != 0) {                                      \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got, \
              got_ == NULL ? "(null)" : got_, (want));                                    \
      ++failures;                                                                         \
    }                                                                                     \
  } while (0)

/* A non-NULL record pointer that dmp_verify must overwrite with NULL on failure. */
static char sentinel;
#define SENTINEL_RECORD ((dmp_record*)(void*)&sentinel)

static const uint64_t kNow = 1900000000u;       /* inside the vectors' window */
static const uint64_t kVectorExp = 2051222400u; /* exp of the round-trip cases */
static const uint64_t kMaxExpAhead = 157680000u;

typedef struct {
  unsigned char* data;
  size_t len;
} buffer;

static int running_under_ci(void) {
  const char* ci = getenv("CI");
  return ci != NULL && *ci != '\0' && strcmp(ci, "false") != 0 && strcmp(ci, "0") != 0;
}

/* Whole file, NUL-terminated; data == NULL when it cannot be read. */
static buffer read_file(const char* dir, const char* name) {
  buffer out = {NULL, 0};
  char path[4096];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) return out;
  FILE* f = fopen(path, "rb");
  if (f == NULL) return out;
  size_t cap = 8192;
  out.data = malloc(cap);
  while (out.data != NULL) {
    const size_t n = fread(out.data + out.len, 1, cap - out.len - 1, f);
    out.len += n;
    if (n == 0) break;
    if (out.len + 1 == cap) {
      unsigned char* grown = realloc(out.data, cap * 2);
      if (grown == NULL) {
        free(out.data);
        out.data = NULL;
        break;
      }
      out.data = grown;
      cap *= 2;
    }
  }
  fclose(f);
  if (out.data != NULL) out.data[out.len] = '\0';
  return out;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* A naive reader: the first `"key": "<hex>"` in the JSON text, hex-decoded
 * into a NUL-terminated buffer. data == NULL when absent or not hex. */
static buffer first_hex_field(const char* json, const char* key) {
  buffer out = {NULL, 0};
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char* p = strstr(json, quoted);
  if (p == NULL) return out;
  p += strlen(quoted);
  while (*p == ' ' || *p == ':' || *p == '\n' || *p == '\t' || *p == '\r')
    ++p;
  if (*p != '"') return out;
  const char* start = ++p;
  const char* end = strchr(start, '"');
  if (end == NULL || (end - start) % 2 != 0) return out;
  out.len = (size_t)(end - start) / 2;
  out.data = malloc(out.len + 1);
  if (out.data == NULL) return out;
  for (size_t i = 0; i < out.len; ++i) {
    const int hi = hex_digit(start[2 * i]), lo = hex_digit(start[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      free(out.data);
      out.data = NULL;
      return out;
    }
    out.data[i] = (unsigned char)(hi * 16 + lo);
  }
  out.data[out.len] = '\0';
  return out;
}

/* The same payload in a form the reference accepts but a conforming signer
 * never emits (section 1.4): non-zero unused bits before the padding, or
 * surplus padding after a complete quantum. NUL-terminated; data == NULL on
 * allocation failure. */
static buffer non_canonical_copy(const char* wire, size_t len) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  buffer out = {malloc(len + 2), len};
  if (out.data == NULL) return out;
  memcpy(out.data, wire, len);
  if (len >= 3 && wire[len - 1] == '=') {
    const size_t pos = wire[len - 2] == '=' ? len - 3 : len - 2;
    const char* at = strchr(kAlphabet, wire[pos]);
    if (at != NULL) out.data[pos] = (unsigned char)kAlphabet[(at - kAlphabet) | 1];
  } else {
    out.data[out.len++] = '=';
  }
  out.data[out.len] = '\0';
  return out;
}

static dmp_verify_options options_at(uint64_t now) {
  dmp_verify_options options;
  dmp_verify_options_init(&options);
  options.has_now = 1;
  options.now = now;
  return options;
}

static int bytes_equal(dmp_bytes_view view, const char* text) {
  return view.len == strlen(text) && (view.len == 0 || memcmp(view.data, text, view.len) == 0);
}

static void test_reason_names(void) {
  CHECK_STR(dmp_reason_name(DMP_OK), "ok");
  CHECK_STR(dmp_reason_name(DMP_BAD_PREFIX), "bad_prefix");
  CHECK_STR(dmp_reason_name(DMP_TOO_LONG), "too_long");
  CHECK_STR(dmp_reason_name(DMP_BAD_BASE64), "bad_base64");
  CHECK_STR(dmp_reason_name(DMP_TOO_SHORT), "too_short");
  CHECK_STR(dmp_reason_name(DMP_BAD_KEY), "bad_key");
  CHECK_STR(dmp_reason_name(DMP_BAD_SIGNATURE), "bad_signature");
  CHECK_STR(dmp_reason_name(DMP_MALFORMED), "malformed");
  CHECK_STR(dmp_reason_name(DMP_KEY_MISMATCH), "key_mismatch");
  CHECK_STR(dmp_reason_name(DMP_EXPIRED), "expired");
  CHECK_STR(dmp_reason_name(DMP_EXPIRY_TOO_FAR), "expiry_too_far");
  CHECK_STR(dmp_reason_name(DMP_NAME_MISMATCH), "name_mismatch");
  CHECK_STR(dmp_reason_name(DMP_NON_CANONICAL), "non_canonical");
  CHECK_STR(dmp_reason_name(DMP_INVALID_FIELD), "invalid_field");
  CHECK_STR(dmp_reason_name(DMP_INVALID_ARGUMENT), "invalid_argument");
  CHECK_STR(dmp_reason_name(DMP_INTERNAL), "internal");
  CHECK_STR(dmp_reason_name(-1), "unknown");
  CHECK_STR(dmp_reason_name(99), "unknown");
  CHECK_STR(dmp_reason_name(102), "unknown");
  CHECK_STR(dmp_reason_name(DMP_REVOCATION_STALE), "revocation_stale");
  CHECK_STR(dmp_reason_name(DMP_TIMESTAMP_IN_FUTURE), "timestamp_in_future");
  CHECK_STR(dmp_reason_name(14), "unknown"); /* signer-side reasons are not C ABI codes */
  CHECK_STR(dmp_reason_name(34), "unknown");
}

static void test_parse_key_hex(void) {
  static const char hex[] = "D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A";
  uint8_t key[32];
  char why[128];
  CHECK_RC(dmp_parse_key_hex(hex, key, why, sizeof why), DMP_OK);
  CHECK(key[0] == 0xd7 && key[1] == 0x5a && key[31] == 0x1a);
  CHECK(why[0] == '\0');
  /* Either case; the lower-case text gives the same bytes. */
  uint8_t lower[32];
  CHECK_RC(dmp_parse_key_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                             lower, NULL, 0),
           DMP_OK);
  CHECK(memcmp(key, lower, 32) == 0);
  /* Wrong length, a stray newline, a non-hex digit: bad_key, key zeroed. */
  static const char* const bad[] = {
      "", "d75a", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\n",
      "0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751",
      "g75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    memset(key, 0xaa, sizeof key);
    CHECK_RC(dmp_parse_key_hex(bad[i], key, why, sizeof why), DMP_BAD_KEY);
    CHECK(strstr(why, "key") != NULL);
    CHECK(key[0] == 0 && key[31] == 0);
  }
  /* The identity point (01 00..00) is one of the refused low-order keys. */
  CHECK_RC(dmp_parse_key_hex("0100000000000000000000000000000000000000000000000000000000000000",
                             key, why, sizeof why),
           DMP_BAD_KEY);
  CHECK(strstr(why, "low-order") != NULL);
  CHECK_RC(dmp_parse_key_hex(NULL, key, why, sizeof why), DMP_INVALID_ARGUMENT);
  CHECK_RC(dmp_parse_key_hex(hex, NULL, why, sizeof why), DMP_INVALID_ARGUMENT);
}

static void test_options_init(void) {
  dmp_verify_options options;
  memset(&options, 0xAB, sizeof options);
  dmp_verify_options_init(&options);
  CHECK(options.struct_size == sizeof(dmp_verify_options));
  CHECK(options.has_now == 0);
  CHECK(options.now == 0);
  CHECK(options.expected_name == NULL);
  CHECK(options.strict == 0);
  dmp_verify_options_init(NULL); /* tolerated */
}

static void test_cluster(const buffer* wire_buf, const buffer* key_buf) {
  const char* wire = (const char*)wire_buf->data;
  const size_t wire_len = wire_buf->len;
  const uint8_t* key = key_buf->data;
  char why[256];
  dmp_record* rec = NULL;

  CHECK(key_buf->len == 32);
  CHECK(wire_len == 249);

  /* Accepted, bound to the name case-insensitively with one trailing dot. */
  dmp_verify_options options = options_at(kNow);
  options.expected_name = "MESH.example.com.";
  memset(why, 'Z', sizeof why);
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &options, &rec, why, sizeof why), DMP_OK);
  CHECK(why[0] == '\0');
  CHECK(rec != NULL);
  if (rec != NULL) {
    CHECK(dmp_record_get_type(rec) == DMP_RECORD_CLUSTER);
    CHECK(dmp_record_seq(rec) == 1);
    CHECK(dmp_record_exp(rec) == kVectorExp);
    CHECK_STR(dmp_record_name(rec), "mesh.example.com");
    CHECK_STR(dmp_record_rrset_name(rec), "cluster.mesh.example.com");
    CHECK(memcmp(dmp_record_signing_key(rec), key, 32) == 0);
    CHECK(dmp_record_item_count(rec) == 1);

    dmp_cluster_node_view node;
    memset(&node, 0, sizeof node);
    CHECK_RC(dmp_record_cluster_node(rec, 0, &node), DMP_OK);
    CHECK(bytes_equal(node.node_id, "n01"));
    CHECK(bytes_equal(node.http_endpoint, "https://n1.example.com:8053"));
    CHECK(node.has_dns_endpoint == 0);
    CHECK(node.dns_endpoint.len == 0);
    CHECK_RC(dmp_record_cluster_node(rec, 1, &node), DMP_INVALID_ARGUMENT);
    CHECK_RC(dmp_record_cluster_node(rec, 0, NULL), DMP_INVALID_ARGUMENT);
    dmp_bootstrap_entry_view entry;
    CHECK_RC(dmp_record_bootstrap_entry(rec, 0, &entry), DMP_INVALID_ARGUMENT);
  }
  dmp_record_free(rec);
  dmp_record_free(NULL); /* like free(NULL) */

  /* Strict mode accepts the canonical vector; out_record may be NULL. It
   * refuses the same payload in a non-canonical form, which the default
   * (reference) policy accepts. */
  options.strict = 1;
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &options, NULL, NULL, 0), DMP_OK);
  {
    buffer lenient = non_canonical_copy(wire, wire_len);
    CHECK(lenient.data != NULL);
    if (lenient.data != NULL) {
      const char* text = (const char*)lenient.data;
      CHECK_RC(dmp_verify(text, lenient.len, key, 32, &options, NULL, NULL, 0), DMP_NON_CANONICAL);
      options.strict = 0;
      CHECK_RC(dmp_verify(text, lenient.len, key, 32, &options, NULL, NULL, 0), DMP_OK);
    }
    free(lenient.data);
  }
  options.strict = 0;

  /* Name binding and time rules. */
  options.expected_name = "other.example.com";
  rec = SENTINEL_RECORD;
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &options, &rec, why, sizeof why), DMP_NAME_MISMATCH);
  CHECK(rec == NULL);
  options = options_at(kVectorExp + 1);
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &options, NULL, NULL, 0), DMP_EXPIRED);
  options = options_at(kVectorExp - kMaxExpAhead - 1);
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &options, NULL, NULL, 0), DMP_EXPIRY_TOO_FAR);
  options = options_at(kVectorExp - kMaxExpAhead);
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &options, NULL, NULL, 0), DMP_OK);

  /* Envelope failures. */
  options = options_at(kNow);
  CHECK_RC(dmp_verify("garbage", 7, key, 32, &options, NULL, NULL, 0), DMP_BAD_PREFIX);
  CHECK_RC(dmp_verify(NULL, 0, key, 32, &options, NULL, NULL, 0), DMP_BAD_PREFIX);
  CHECK_RC(dmp_verify(wire, wire_len - 4, key, 32, &options, NULL, NULL, 0), DMP_BAD_SIGNATURE);
  CHECK_RC(dmp_verify(wire, wire_len - 1, key, 32, &options, NULL, NULL, 0), DMP_BAD_BASE64);
  {
    char with_newline[300];
    memcpy(with_newline, wire, wire_len);
    with_newline[wire_len] = '\n';
    CHECK_RC(dmp_verify(with_newline, wire_len + 1, key, 32, &options, NULL, NULL, 0),
             DMP_BAD_BASE64);
  }

  /* A wrong key: bad signature, record reset to NULL, message written. */
  uint8_t wrong[33];
  memcpy(wrong, key, 32);
  wrong[0] ^= 0x01;
  wrong[32] = 0;
  rec = SENTINEL_RECORD;
  why[0] = '\0';
  CHECK_RC(dmp_verify(wire, wire_len, wrong, 32, &options, &rec, why, sizeof why),
           DMP_BAD_SIGNATURE);
  CHECK(rec == NULL);
  CHECK(strlen(why) > 0);
  /* NULL options: wall clock and no binding; the signature fails first. */
  CHECK_RC(dmp_verify(wire, wire_len, wrong, 32, NULL, NULL, NULL, 0), DMP_BAD_SIGNATURE);

  /* Keys that are not 32 bytes, and a low-order key. */
  CHECK_RC(dmp_verify(wire, wire_len, key, 31, &options, NULL, why, sizeof why), DMP_BAD_KEY);
  memcpy(wrong, key, 32);
  CHECK_RC(dmp_verify(wire, wire_len, wrong, 33, &options, NULL, why, sizeof why), DMP_BAD_KEY);
  CHECK_RC(dmp_verify(wire, wire_len, key, 0, &options, NULL, why, sizeof why), DMP_BAD_KEY);
  {
    uint8_t identity[32] = {1};
    CHECK_RC(dmp_verify(wire, wire_len, identity, 32, &options, NULL, NULL, 0), DMP_BAD_KEY);
  }

  /* Invalid arguments. */
  dmp_verify_options bad = options_at(kNow);
  bad.struct_size = 0;
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &bad, NULL, why, sizeof why), DMP_INVALID_ARGUMENT);
  CHECK(strlen(why) > 0);
  bad.struct_size = (uint32_t)sizeof(dmp_verify_options) - 1;
  CHECK_RC(dmp_verify(wire, wire_len, key, 32, &bad, NULL, NULL, 0), DMP_INVALID_ARGUMENT);
  CHECK_RC(dmp_verify(NULL, wire_len, key, 32, &options, NULL, NULL, 0), DMP_INVALID_ARGUMENT);
  CHECK_RC(dmp_verify(wire, wire_len, NULL, 32, &options, NULL, NULL, 0), DMP_INVALID_ARGUMENT);

  /* errbuf truncation: always NUL-terminated within errbuf_len. */
  char full[512], small[8];
  CHECK_RC(dmp_verify(wire, wire_len, wrong, 31, &options, NULL, full, sizeof full), DMP_BAD_KEY);
  memset(small, 'Z', sizeof small);
  CHECK_RC(dmp_verify(wire, wire_len, wrong, 31, &options, NULL, small, sizeof small), DMP_BAD_KEY);
  CHECK(strlen(full) > sizeof small);
  CHECK(small[sizeof small - 1] == '\0');
  CHECK(strncmp(small, full, sizeof small - 1) == 0);
  char one[1] = {'Z'};
  CHECK_RC(dmp_verify(wire, wire_len, wrong, 31, &options, NULL, one, 1), DMP_BAD_KEY);
  CHECK(one[0] == '\0');
  char untouched[4] = {'Z', 'Z', 'Z', 'Z'};
  CHECK_RC(dmp_verify(wire, wire_len, wrong, 31, &options, NULL, untouched, 0), DMP_BAD_KEY);
  CHECK(untouched[0] == 'Z');
}

static void test_bootstrap(const buffer* wire_buf, const buffer* signer, const buffer* entry_key) {
  dmp_verify_options options = options_at(kNow);
  options.expected_name = "example.com";
  dmp_record* rec = NULL;
  CHECK(signer->len == 32 && entry_key->len == 32);
  CHECK_RC(dmp_verify((const char*)wire_buf->data, wire_buf->len, signer->data, 32, &options, &rec,
                      NULL, 0),
           DMP_OK);
  if (rec == NULL) return;
  CHECK(dmp_record_get_type(rec) == DMP_RECORD_BOOTSTRAP);
  CHECK(dmp_record_seq(rec) == 1);
  CHECK(dmp_record_exp(rec) == kVectorExp);
  CHECK_STR(dmp_record_name(rec), "example.com");
  CHECK_STR(dmp_record_rrset_name(rec), "_dmp.example.com");
  CHECK(memcmp(dmp_record_signing_key(rec), signer->data, 32) == 0);
  CHECK(dmp_record_item_count(rec) == 1);
  dmp_bootstrap_entry_view entry;
  memset(&entry, 0, sizeof entry);
  CHECK_RC(dmp_record_bootstrap_entry(rec, 0, &entry), DMP_OK);
  CHECK(entry.priority == 10);
  CHECK_STR(entry.cluster_base_domain, "mesh.example.com");
  CHECK(entry.operator_spk != NULL && memcmp(entry.operator_spk, entry_key->data, 32) == 0);
  CHECK_RC(dmp_record_bootstrap_entry(rec, 1, &entry), DMP_INVALID_ARGUMENT);
  dmp_cluster_node_view node;
  CHECK_RC(dmp_record_cluster_node(rec, 0, &node), DMP_INVALID_ARGUMENT);
  dmp_record_free(rec);
}

static dmp_key_record_options key_options_at(uint64_t now) {
  dmp_key_record_options options;
  dmp_key_record_options_init(&options);
  options.has_now = 1;
  options.now = now;
  return options;
}

/* Rotation case 0 (user identity): both signatures, the old-key pin, the
 * accessors, and dmp_verify refusing the type. */
static void test_rotation(const buffer* wire_buf, const buffer* old_key, const buffer* new_key) {
  const char* wire = (const char*)wire_buf->data;
  dmp_key_record_options options = key_options_at(kNow);
  options.expected_key = old_key->data;
  options.expected_key_len = old_key->len;
  options.expected_subject = "alice@EXAMPLE.com";
  dmp_record* record = SENTINEL_RECORD;
  char why[256];
  CHECK_RC(dmp_verify_rotation(wire, wire_buf->len, &options, &record, why, sizeof why), DMP_OK);
  CHECK(record != NULL && record != SENTINEL_RECORD);
  if (record != NULL && record != SENTINEL_RECORD) {
    dmp_rotation_view view;
    CHECK(dmp_record_get_type(record) == DMP_RECORD_ROTATION);
    CHECK_RC(dmp_record_rotation(record, &view), DMP_OK);
    CHECK(view.subject_type == 1);
    CHECK(bytes_equal(view.subject, "alice@example.com"));
    CHECK(memcmp(view.old_spk, old_key->data, 32) == 0);
    CHECK(memcmp(view.new_spk, new_key->data, 32) == 0);
    CHECK(view.seq == 1 && view.exp == kVectorExp && dmp_record_seq(record) == 1);
    CHECK(memcmp(dmp_record_signing_key(record), old_key->data, 32) == 0);
    CHECK_STR(dmp_record_name(record), "alice@example.com");
    CHECK_STR(dmp_record_rrset_name(record), ""); /* user identity: out of scope */
    CHECK(dmp_record_item_count(record) == 0);
    dmp_revocation_view wrong;
    CHECK_RC(dmp_record_revocation(record, &wrong), DMP_INVALID_ARGUMENT);
    dmp_cluster_node_view node;
    CHECK_RC(dmp_record_cluster_node(record, 0, &node), DMP_INVALID_ARGUMENT);
    dmp_record_free(record);
  }
  /* strict = 1 refuses the payload in a non-canonical form; 0 accepts it. */
  {
    buffer lenient = non_canonical_copy(wire, wire_buf->len);
    CHECK(lenient.data != NULL);
    if (lenient.data != NULL) {
      const char* text = (const char*)lenient.data;
      CHECK_RC(dmp_verify_rotation(text, lenient.len, &options, NULL, NULL, 0), DMP_OK);
      options.strict = 1;
      CHECK_RC(dmp_verify_rotation(wire, wire_buf->len, &options, NULL, NULL, 0), DMP_OK);
      CHECK_RC(dmp_verify_rotation(text, lenient.len, &options, NULL, NULL, 0), DMP_NON_CANONICAL);
      options.strict = 0;
    }
    free(lenient.data);
  }
  /* Pinning the new key instead of the old one. */
  options.expected_key = new_key->data;
  record = SENTINEL_RECORD;
  CHECK_RC(dmp_verify_rotation(wire, wire_buf->len, &options, &record, why, sizeof why),
           DMP_KEY_MISMATCH);
  CHECK(record == NULL);
  CHECK(strstr(why, "old_spk") != NULL);
  /* The 5-year ceiling and expiry apply (§1.6). */
  dmp_key_record_options early = key_options_at(kVectorExp - kMaxExpAhead - 1);
  CHECK_RC(dmp_verify_rotation(wire, wire_buf->len, &early, NULL, NULL, 0), DMP_EXPIRY_TOO_FAR);
  /* No options: the wall clock. NULL pin with a length is an invalid argument. */
  options.expected_key = NULL;
  options.expected_key_len = 32;
  CHECK_RC(dmp_verify_rotation(wire, wire_buf->len, &options, NULL, NULL, 0), DMP_INVALID_ARGUMENT);
  options.expected_key_len = 0;
  options.struct_size = 8;
  CHECK_RC(dmp_verify_rotation(wire, wire_buf->len, &options, NULL, NULL, 0), DMP_INVALID_ARGUMENT);
  /* The generic entry point never accepts a rotation, whatever key it pins. */
  dmp_verify_options generic = options_at(kNow);
  CHECK_RC(dmp_verify(wire, wire_buf->len, old_key->data, 32, &generic, NULL, NULL, 0),
           DMP_BAD_PREFIX);
  CHECK_RC(dmp_verify_revocation(wire, wire_buf->len, NULL, NULL, NULL, 0), DMP_BAD_PREFIX);
}

/* Revocation case 0 (verify_with_now = ts + 60), the opt-in cap and the
 * future guard. */
static void test_revocation(const buffer* wire_buf, const buffer* revoked_key) {
  const char* wire = (const char*)wire_buf->data;
  const uint64_t ts = 1893456000u;
  dmp_key_record_options options = key_options_at(ts + 60);
  options.expected_key = revoked_key->data;
  options.expected_key_len = revoked_key->len;
  dmp_record* record = NULL;
  CHECK_RC(dmp_verify_revocation(wire, wire_buf->len, &options, &record, NULL, 0), DMP_OK);
  if (record != NULL) {
    dmp_revocation_view view;
    CHECK(dmp_record_get_type(record) == DMP_RECORD_REVOCATION);
    CHECK_RC(dmp_record_revocation(record, &view), DMP_OK);
    CHECK(view.reason_code == 1 && view.ts == ts && view.subject_type == 1);
    CHECK(memcmp(view.revoked_spk, revoked_key->data, 32) == 0);
    CHECK(dmp_record_exp(record) == 0 && dmp_record_seq(record) == 0);
    dmp_rotation_view wrong;
    CHECK_RC(dmp_record_rotation(record, &wrong), DMP_INVALID_ARGUMENT);
    dmp_record_free(record);
  }
  /* strict = 1 refuses the payload in a non-canonical form; 0 accepts it. */
  {
    buffer lenient = non_canonical_copy(wire, wire_buf->len);
    CHECK(lenient.data != NULL);
    if (lenient.data != NULL) {
      const char* text = (const char*)lenient.data;
      CHECK_RC(dmp_verify_revocation(text, lenient.len, &options, NULL, NULL, 0), DMP_OK);
      options.strict = 1;
      CHECK_RC(dmp_verify_revocation(wire, wire_buf->len, &options, NULL, NULL, 0), DMP_OK);
      CHECK_RC(dmp_verify_revocation(text, lenient.len, &options, NULL, NULL, 0),
               DMP_NON_CANONICAL);
      options.strict = 0;
    }
    free(lenient.data);
  }
  options.has_max_age = 1;
  options.max_age_seconds = 59;
  CHECK_RC(dmp_verify_revocation(wire, wire_buf->len, &options, NULL, NULL, 0),
           DMP_REVOCATION_STALE);
  options.max_age_seconds = 60;
  CHECK_RC(dmp_verify_revocation(wire, wire_buf->len, &options, NULL, NULL, 0), DMP_OK);
  options = key_options_at(ts - 301);
  CHECK_RC(dmp_verify_revocation(wire, wire_buf->len, &options, NULL, NULL, 0),
           DMP_TIMESTAMP_IN_FUTURE);
}

int main(int argc, char** argv) {
  const char* dir = getenv("DMP_VECTORS_DIR");
  if (dir == NULL || *dir == '\0') dir = argc > 1 ? argv[1] : NULL;
  buffer cluster = {NULL, 0}, bootstrap = {NULL, 0};
  if (dir != NULL) {
    cluster = read_file(dir, "cluster_manifest.json");
    bootstrap = read_file(dir, "bootstrap_record.json");
  }
  if (cluster.data == NULL || bootstrap.data == NULL) {
    free(cluster.data);
    free(bootstrap.data);
    if (running_under_ci()) {
      fprintf(stderr, "FAIL: reference vectors missing under CI (dir: %s)\n",
              dir == NULL ? "(none)" : dir);
      return 1;
    }
    printf("SKIP: reference vectors not found (set DMP_VECTORS_DIR)\n");
    return 77;
  }

  CHECK_RC(dmp_init(), DMP_OK);
  CHECK(dmp_version() != NULL && strchr(dmp_version(), '.') != NULL);
  test_reason_names();
  test_options_init();
  test_parse_key_hex();

  buffer cluster_wire = first_hex_field((const char*)cluster.data, "expected_wire_hex");
  buffer operator_key = first_hex_field((const char*)cluster.data, "operator_spk_hex");
  buffer bootstrap_wire = first_hex_field((const char*)bootstrap.data, "expected_wire_hex");
  buffer signer_key = first_hex_field((const char*)bootstrap.data, "signer_spk_hex");
  buffer entry_key = first_hex_field((const char*)bootstrap.data, "operator_spk_hex");
  if (cluster_wire.data == NULL || operator_key.data == NULL || bootstrap_wire.data == NULL ||
      signer_key.data == NULL || entry_key.data == NULL) {
    fprintf(stderr, "FAIL: could not read the case-0 fields from the vector files\n");
    ++failures;
  } else {
    test_cluster(&cluster_wire, &operator_key);
    test_bootstrap(&bootstrap_wire, &signer_key, &entry_key);
  }

  /* The DRAFT key-lifecycle records ship in the same vector set, so once the
   * directory is there their absence is a failure, not a skip. */
  buffer rotation = read_file(dir, "rotation_record.json");
  buffer revocation = read_file(dir, "revocation_record.json");
  if (rotation.data == NULL || revocation.data == NULL) {
    fprintf(stderr, "FAIL: rotation_record.json / revocation_record.json missing\n");
    ++failures;
  } else {
    buffer rot_wire = first_hex_field((const char*)rotation.data, "expected_wire_hex");
    buffer rot_old = first_hex_field((const char*)rotation.data, "old_spk_hex");
    buffer rot_new = first_hex_field((const char*)rotation.data, "new_spk_hex");
    buffer rev_wire = first_hex_field((const char*)revocation.data, "expected_wire_hex");
    buffer rev_key = first_hex_field((const char*)revocation.data, "revoked_spk_hex");
    if (rot_wire.data == NULL || rot_old.data == NULL || rot_new.data == NULL ||
        rev_wire.data == NULL || rev_key.data == NULL) {
      fprintf(stderr, "FAIL: could not read the case-0 rotation/revocation fields\n");
      ++failures;
    } else {
      test_rotation(&rot_wire, &rot_old, &rot_new);
      test_revocation(&rev_wire, &rev_key);
    }
    free(rot_wire.data);
    free(rot_old.data);
    free(rot_new.data);
    free(rev_wire.data);
    free(rev_key.data);
  }
  free(rotation.data);
  free(revocation.data);

  free(cluster_wire.data);
  free(operator_key.data);
  free(bootstrap_wire.data);
  free(signer_key.data);
  free(entry_key.data);
  free(cluster.data);
  free(bootstrap.data);
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_abi_test: all checks passed\n");
  return 0;
}
