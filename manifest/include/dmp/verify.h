/*
 * dmp/verify.h: C ABI of the DMP record verifier (libdmpverify).
 *
 * Verifies ClusterManifest and BootstrapRecord wires against a pinned Ed25519
 * key exactly as the reference implementation does (same checks, same order,
 * same accept set). Plain C99; no C++ types or exceptions cross this boundary.
 * Every function is thread-safe; call dmp_init() once before the first
 * dmp_verify() if several threads may race to the first call.
 *
 * Minimal use:
 *
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
  DMP_BAD_PREFIX = 1,         /* wire lacks the record prefix */
  DMP_TOO_LONG = 2,           /* wire over 1200 bytes */
  DMP_BAD_BASE64 = 3,         /* payload is not acceptable base64 */
  DMP_TOO_SHORT = 4,          /* blob shorter than magic + signature */
  DMP_BAD_KEY = 5,            /* pinned key not 32 bytes, or a low-order point */
  DMP_BAD_SIGNATURE = 6,      /* Ed25519 verification failed */
  DMP_MALFORMED = 7,          /* body breaks a structural rule */
  DMP_KEY_MISMATCH = 8,       /* embedded key differs from the pinned key */
  DMP_EXPIRED = 9,            /* exp < now */
  DMP_EXPIRY_TOO_FAR = 10,    /* exp - now > 5 years */
  DMP_NAME_MISMATCH = 11,     /* signed name differs from expected_name */
  DMP_NON_CANONICAL = 12,     /* strict mode only: non-canonical encoding */
  DMP_INVALID_FIELD = 13,     /* (encoder only; not returned by dmp_verify) */
  DMP_INVALID_ARGUMENT = 100, /* NULL where a pointer is required, bad struct_size */
  DMP_INTERNAL = 101          /* out of memory or libsodium failed to initialise */
};

typedef enum dmp_record_type { DMP_RECORD_CLUSTER = 1, DMP_RECORD_BOOTSTRAP = 2 } dmp_record_type;

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

#ifdef __cplusplus
}
#endif

#endif /* DMP_VERIFY_H */
