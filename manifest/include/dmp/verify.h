/*
 * dmp/verify.h: C ABI of the DMP record verifier (libdmpverify).
 *
 * Verifies ClusterManifest and BootstrapRecord wires against a pinned Ed25519
 * key (and the DRAFT rotation/revocation records, see the end of this file)
 * exactly as the reference implementation does (same checks, same order,
 * same accept set). Plain C99; no C++ types or exceptions cross this boundary.
 * Every function is thread-safe; call dmp_init() once before the first
 * dmp_verify() if several threads may race to the first call.
 *
 * Minimal use:
 *
 *     uint8_t key[32];
 *     if (dmp_parse_key_hex(key_hex, key, NULL, 0) != DMP_OK) { ... }
 *     dmp_verify_options opts;
 *     dmp_verify_options_init(&opts);
 *     opts.has_now = 1; opts.now = 1900000000;
 *     opts.expected_name = "mesh.example.com";
 *     dmp_record *rec = NULL;
 *     char why[256];
 *     int rc = dmp_verify(wire, wire_len, key, 32, &opts, &rec, why, sizeof why);
 *     if (rc != DMP_OK) { fprintf(stderr, "%s: %s\n", dmp_reason_name(rc), why); }
 *     else { printf("seq %llu\n", (unsigned long long)dmp_record_seq(rec)); }
 *     dmp_record_free(rec);
 */
#ifndef DMP_VERIFY_H
#define DMP_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DMP_EXPORT __attribute__((visibility("default")))
#else
#define DMP_EXPORT
#endif

/* Stable reason codes (same numbers and names as the C++ dmp::Reason). */
enum {
  DMP_OK = 0,
  DMP_BAD_PREFIX = 1,      /* wire lacks the record prefix */
  DMP_TOO_LONG = 2,        /* wire over 1200 bytes */
  DMP_BAD_BASE64 = 3,      /* payload is not acceptable base64 */
  DMP_TOO_SHORT = 4,       /* blob shorter than magic + signature */
  DMP_BAD_KEY = 5,         /* pinned key not 32 bytes, or a low-order point */
  DMP_BAD_SIGNATURE = 6,   /* Ed25519 verification failed */
  DMP_MALFORMED = 7,       /* body breaks a structural rule */
  DMP_KEY_MISMATCH = 8,    /* embedded key differs from the pinned key */
  DMP_EXPIRED = 9,         /* exp < now */
  DMP_EXPIRY_TOO_FAR = 10, /* exp - now > 5 years */
  DMP_NAME_MISMATCH = 11,  /* signed name differs from expected_name */
  DMP_NON_CANONICAL = 12,  /* strict mode only: non-canonical encoding */
  DMP_INVALID_FIELD = 13,  /* (encoder only; not returned by dmp_verify) */
  /* 14..31 are signer-side reasons of dmp-sign; never returned here. */
  DMP_REVOCATION_STALE = 32,    /* revocation: ts + max_age < now (opt-in max_age) */
  DMP_TIMESTAMP_IN_FUTURE = 33, /* revocation: ts > now + 300 */
  DMP_INVALID_ARGUMENT = 100,   /* NULL where a pointer is required, bad struct_size */
  DMP_INTERNAL = 101            /* out of memory or libsodium failed to initialise */
};

typedef enum dmp_record_type {
  DMP_RECORD_CLUSTER = 1,
  DMP_RECORD_BOOTSTRAP = 2,
  DMP_RECORD_ROTATION = 3,  /* from dmp_verify_rotation only */
  DMP_RECORD_REVOCATION = 4 /* from dmp_verify_revocation only */
} dmp_record_type;

typedef struct dmp_verify_options {
  uint32_t struct_size;      /* sizeof(dmp_verify_options); set by _init */
  int has_now;               /* 0: use the wall clock */
  uint64_t now;              /* unix seconds, when has_now */
  const char* expected_name; /* NUL-terminated UTF-8 or NULL: bind the record name */
  int strict;                /* non-zero: also refuse non-canonical encodings */
} dmp_verify_options;

/* A verified record. Opaque; read it through the accessors below. */
typedef struct dmp_record dmp_record;

typedef struct dmp_bytes_view {
  const char* data; /* not NUL-terminated; may contain any byte */
  size_t len;
} dmp_bytes_view;

typedef struct dmp_cluster_node_view {
  dmp_bytes_view node_id;
  dmp_bytes_view http_endpoint;
  int has_dns_endpoint;
  dmp_bytes_view dns_endpoint;
} dmp_cluster_node_view;

typedef struct dmp_bootstrap_entry_view {
  uint16_t priority;
  const char* cluster_base_domain; /* NUL-terminated ASCII */
  const uint8_t* operator_spk;     /* 32 bytes */
} dmp_bootstrap_entry_view;

/* Initialise libsodium. Returns DMP_OK or DMP_INTERNAL. Idempotent. */
DMP_EXPORT int dmp_init(void);

/* Library version, e.g. "0.1.0". */
DMP_EXPORT const char* dmp_version(void);

/* Snake_case name of a reason code ("bad_signature"), "unknown" otherwise. */
DMP_EXPORT const char* dmp_reason_name(int reason);

DMP_EXPORT void dmp_verify_options_init(dmp_verify_options* options);

/*
 * Parse a pinned key given as text: exactly 64 hex digits, either case,
 * NUL-terminated, nothing else (no "0x", no spaces or newline: strip those
 * first). On DMP_OK the 32 bytes are in out_key. DMP_BAD_KEY for any other
 * text and for the low-order points dmp_verify() refuses (out_key is then
 * zeroed, and errbuf, if not NULL, says why); DMP_INVALID_ARGUMENT for NULL.
 */
DMP_EXPORT int dmp_parse_key_hex(const char* hex, uint8_t out_key[32], char* errbuf,
                                 size_t errbuf_len);

/*
 * Verify `wire` (wire_len bytes, no trailing newline) against `pinned_key`
 * (key_len bytes; anything but 32 is DMP_BAD_KEY). The record type comes from
 * the wire's prefix. `options` may be NULL (wall clock, no name binding,
 * reference accept set).
 *
 * On DMP_OK, *out_record (if out_record is not NULL) receives a record the
 * caller frees with dmp_record_free(). On failure *out_record is set to NULL
 * and, if errbuf is not NULL, a one-line NUL-terminated message naming the
 * field and the rule is written into it (truncated to errbuf_len).
 */
DMP_EXPORT int dmp_verify(const char* wire, size_t wire_len, const uint8_t* pinned_key,
                          size_t key_len, const dmp_verify_options* options,
                          dmp_record** out_record, char* errbuf, size_t errbuf_len);

DMP_EXPORT void dmp_record_free(dmp_record* record);

DMP_EXPORT dmp_record_type dmp_record_get_type(const dmp_record* record);
DMP_EXPORT uint64_t dmp_record_seq(const dmp_record* record);
DMP_EXPORT uint64_t dmp_record_exp(const dmp_record* record);
/* cluster_name or user_domain, NUL-terminated ASCII, owned by the record. */
DMP_EXPORT const char* dmp_record_name(const dmp_record* record);
/* "cluster.<name>" or "_dmp.<domain>", NUL-terminated, owned by the record. */
DMP_EXPORT const char* dmp_record_rrset_name(const dmp_record* record);
/* The embedded operator_spk / signer_spk: 32 bytes owned by the record. */
DMP_EXPORT const uint8_t* dmp_record_signing_key(const dmp_record* record);
/* Number of nodes (cluster) or entries (bootstrap). */
DMP_EXPORT size_t dmp_record_item_count(const dmp_record* record);
/* Item accessors: DMP_OK, or DMP_INVALID_ARGUMENT for a wrong type/index. */
DMP_EXPORT int dmp_record_cluster_node(const dmp_record* record, size_t index,
                                       dmp_cluster_node_view* out);
DMP_EXPORT int dmp_record_bootstrap_entry(const dmp_record* record, size_t index,
                                          dmp_bootstrap_entry_view* out);

/*
 * Key rotation and revocation records (spec section 4; DRAFT wire format,
 * the reference may replace it after its audit). They have their own entry
 * points: dmp_verify() keeps refusing them (DMP_BAD_PREFIX), so a caller that
 * verifies cluster/bootstrap TXT values under an operator key can never be
 * handed that operator's rotation record instead.
 *
 * The pinned key is optional here: for a rotation it is the OLD key (the one
 * the caller trusts today), for a revocation the revoked key. A pin of any
 * length but 32, or another key, is DMP_KEY_MISMATCH. The signatures are
 * always checked against the keys in the body (old first, then new).
 */
typedef struct dmp_key_record_options {
  uint32_t struct_size;         /* sizeof(dmp_key_record_options); set by _init */
  int has_now;                  /* 0: use the wall clock */
  uint64_t now;                 /* unix seconds, when has_now */
  const uint8_t* expected_key;  /* NULL: no pin; else expected_key_len bytes */
  size_t expected_key_len;      /* bytes at expected_key */
  const char* expected_subject; /* NUL-terminated UTF-8 or NULL */
  int has_max_age;              /* revocation only: opt-in freshness cap */
  uint64_t max_age_seconds;     /* ts + max_age < now is DMP_REVOCATION_STALE */
  int strict;                   /* non-zero: also refuse non-canonical base64 */
} dmp_key_record_options;

typedef struct dmp_rotation_view {
  uint8_t subject_type;   /* 1 user identity, 2 cluster operator, 3 bootstrap signer */
  dmp_bytes_view subject; /* as signed (UTF-8) */
  const uint8_t* old_spk; /* 32 bytes */
  const uint8_t* new_spk; /* 32 bytes */
  uint64_t seq;
  uint64_t ts;
  uint64_t exp;
} dmp_rotation_view;

typedef struct dmp_revocation_view {
  uint8_t subject_type;
  dmp_bytes_view subject;
  const uint8_t* revoked_spk; /* 32 bytes */
  uint8_t reason_code;        /* 1 compromise, 2 routine, 3 lost key, 4 other */
  uint64_t ts;
} dmp_revocation_view;

DMP_EXPORT void dmp_key_record_options_init(dmp_key_record_options* options);

/*
 * Verify a rotation (resp. revocation) wire. Same conventions as dmp_verify:
 * `options` may be NULL; on failure *out_record is NULL and errbuf names the
 * field and the rule. On a verified record the generic accessors answer:
 * get_type ROTATION/REVOCATION; name = the subject; rrset_name =
 * "rotate.cluster.<base>" / "rotate._dmp.<domain>" ("" for a user identity);
 * signing_key = old_spk / revoked_spk; seq and exp = the rotation's (0 for a
 * revocation, which never expires); item_count = 0.
 */
DMP_EXPORT int dmp_verify_rotation(const char* wire, size_t wire_len,
                                   const dmp_key_record_options* options, dmp_record** out_record,
                                   char* errbuf, size_t errbuf_len);
DMP_EXPORT int dmp_verify_revocation(const char* wire, size_t wire_len,
                                     const dmp_key_record_options* options, dmp_record** out_record,
                                     char* errbuf, size_t errbuf_len);
/* DMP_OK, or DMP_INVALID_ARGUMENT when the record is of another type. */
DMP_EXPORT int dmp_record_rotation(const dmp_record* record, dmp_rotation_view* out);
DMP_EXPORT int dmp_record_revocation(const dmp_record* record, dmp_revocation_view* out);

#ifdef __cplusplus
}
#endif

#endif /* DMP_VERIFY_H */
