/* Internals of the Sigstore verifier shared by the files of src/sigstore/; not for other modules.
 *
 * The pieces, one file each: util (base64, hex, times, strict JSON accessors, signatures),
 * root (trusted_root.json), bundle (the bundle file), tlog (SET, Merkle proof, checkpoint, entry
 * body), cert (chain, SCT, identity extensions), dsse (envelope, statement, message signature),
 * policy, and sigstore.c which runs them in order. Parsed data is held in the typed structs
 * below; cJSON trees never leave the function that parsed them. */
#ifndef SW_SIGSTORE_INT_H
#define SW_SIGSTORE_INT_H

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/timefmt.h"
#include "sigstore/sigstore.h"

/* ---- limits: untrusted input is capped before it is used ---- */
#define SW_SIG_MAX_FILE (16u << 20) /* a bundle file (JSON Lines may hold several) */
#define SW_SIG_MAX_BUNDLES 64       /* bundles in one file */
#define SW_SIG_MAX_ROOT (4u << 20)  /* trusted_root.json */
#define SW_SIG_MAX_ENTRIES 8        /* transparency log entries in a bundle */
#define SW_SIG_MAX_HASHES 64        /* inclusion proof hashes (tree depth) */
#define SW_SIG_MAX_CHECKPOINT (64u << 10)
#define SW_SIG_MAX_CERT (64u << 10)   /* one DER certificate */
#define SW_SIG_MAX_CHAIN 16           /* certificates in a chain */
#define SW_SIG_MAX_SIG 1024           /* one signature */
#define SW_SIG_MAX_PAYLOAD (8u << 20) /* DSSE payload, log entry body */
#define SW_SIG_MAX_SUBJECTS 4096      /* statement subjects */
#define SW_SIG_MAX_LOGS 64            /* logs or CAs in a trusted root */
#define SW_SIG_MAX_SCTS 16

/* ---- util ---- */

/* Strict base64: the standard or URL-safe alphabet, padding optional but correct when present,
 * no whitespace. *out (malloc'd, NUL-terminated for convenience) is set on success. Returns 0,
 * or -1 for invalid input or more than max decoded bytes. */
int sw_sig_b64_decode(const char *s, size_t n, size_t max, unsigned char **out, size_t *outlen);
/* Standard alphabet, padded; the caller frees. */
char *sw_sig_b64_encode(const unsigned char *p, size_t n);
/* Lowercase hex of n bytes into out (2n + 1 bytes). */
void sw_sig_hex(const unsigned char *p, size_t n, char *out);
/* Decodes exactly n bytes of hex (either case) from s, which must be 2n characters long. */
int sw_sig_unhex(const char *s, unsigned char *out, size_t n);
/* SHA-256 / SHA-512 of data. */
void sw_sig_sha256(const void *data, size_t len, unsigned char out[32]);
/* Verifies a signature (DER ECDSA, Ed25519, RSA PKCS#1 v1.5) of data with key: md NULL for
 * Ed25519. Returns 1 when it verifies, 0 otherwise. */
int sw_sig_verify(EVP_PKEY *key, const EVP_MD *md, const unsigned char *sig, size_t siglen,
                  const unsigned char *data, size_t len);
/* The digest an ECDSA key of this curve signs with (P-256 SHA-256, P-384 SHA-384, P-521
 * SHA-512), NULL for Ed25519, SHA-256 for RSA. */
const EVP_MD *sw_sig_md_for_key(EVP_PKEY *key);
/* The first OpenSSL error queued, as text ("" when none), and the queue cleared. */
void sw_sig_ssl_error(char *buf, size_t n);

/* Strict JSON accessors. `where` names the object in messages ("verificationMaterial"); each
 * failure sets err (class `code`) naming where.key and what is wrong. A member that is absent
 * or JSON null counts as absent: *out is left NULL / 0 and, when required, that is an error. */
struct sw_sig_json {
    const char *what; /* "bundle", "trusted root '<path>'", "log entry body" */
    int code;         /* error class */
    struct sw_error *err;
};
/* Parses exactly one JSON value (whitespace around it allowed); NULL on any error. */
cJSON *sw_sig_parse(const char *text, size_t len);
const cJSON *sw_sig_member(const cJSON *obj, const char *key);
int sw_sig_obj(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, const cJSON **out);
int sw_sig_arr(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, size_t max, const cJSON **out, size_t *n);
int sw_sig_str(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, const char **out);
int sw_sig_b64(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, size_t max, unsigned char **out, size_t *n);
/* int64 as a JSON string of decimals (protobuf JSON) or an integral number; negative values
 * are rejected. */
int sw_sig_int(const struct sw_sig_json *j, const cJSON *obj, const char *where, const char *key,
               bool required, long long *out);
/* Fails when any object in the tree repeats a key (cJSON would silently keep the first). */
int sw_sig_unique_keys(const struct sw_sig_json *j, const cJSON *node);

/* ---- trusted root ---- */

struct sw_sig_log { /* a transparency log (Rekor) or certificate transparency log key */
    char *base_url;
    char *key_details;
    unsigned char *log_id; /* logId.keyId */
    size_t log_id_len;
    EVP_PKEY *key;
    long long start, end; /* validFor; start is required */
    bool has_end;
};

struct sw_sig_ca { /* a certificate authority (Fulcio) or timestamp authority */
    char *uri;
    X509 **certs; /* certChain: [intermediates..., root] */
    size_t ncerts;
    long long start, end;
    bool has_start, has_end;
};

struct sw_sigstore_root {
    struct sw_sig_log *tlogs, *ctlogs;
    size_t ntlogs, nctlogs;
    struct sw_sig_ca *cas, *tsas;
    size_t ncas, ntsas;
};

/* start <= t <= end (end inclusive; absent bounds are open). */
bool sw_sig_window(long long start, bool has_start, long long end, bool has_end, long long t);

/* ---- bundle ---- */

struct sw_sig_entry {
    long long log_index; /* global index: the one the SET signs */
    unsigned char *log_id;
    size_t log_id_len;
    char kind[32], version[16];
    long long integrated_time;
    unsigned char *set; /* inclusionPromise.signedEntryTimestamp; NULL when absent */
    size_t set_len;
    bool has_proof;
    long long proof_index, tree_size; /* index inside the tree of the proof */
    unsigned char *root_hash;
    size_t root_hash_len;
    unsigned char *hashes; /* nhashes * 32 bytes, leaf to root */
    size_t nhashes;
    char *checkpoint;    /* the signed note; NULL without a proof */
    unsigned char *body; /* canonicalizedBody, decoded */
    size_t body_len;
};

enum sw_sig_material { SW_SIG_CERTIFICATE, SW_SIG_CHAIN, SW_SIG_PUBLIC_KEY };

struct sw_sig_bundle {
    int minor; /* media type version 0.<minor>: 1, 2 or 3 */
    enum sw_sig_material material;
    unsigned char *leaf; /* DER of the signing certificate; NULL for a public key */
    size_t leaf_len;
    struct sw_sig_entry *entries;
    size_t nentries;
    size_t ntimestamps; /* RFC 3161 timestamps (not verified: unsupported) */
    bool dsse;          /* dsseEnvelope, else messageSignature */
    char *payload_type;
    unsigned char *payload;
    size_t payload_len;
    unsigned char *sig; /* the one DSSE signature, or the message signature */
    size_t sig_len;
    unsigned char *digest; /* messageSignature.messageDigest.digest (an unauthenticated hint) */
    size_t digest_len;
    char digest_alg[24];
};

/* Splits a file into bundles (one JSON value, or several separated by whitespace: JSON Lines)
 * and parses each. *out is a malloc'd array of *n bundles, freed with sw_sig_bundles_free. On
 * failure, -1 with err (SW_EXIT_VERIFY) naming the bundle and the field. */
int sw_sig_bundles_parse(const char *text, size_t len, struct sw_sig_bundle **out, size_t *n,
                         struct sw_error *err);
void sw_sig_bundles_free(struct sw_sig_bundle *b, size_t n);

/* ---- transparency log ---- */

/* Verifies a Rekor v1 entry against the root: log key for logId valid at the integrated time,
 * SET, inclusion proof and checkpoint (required from v0.2, checked whenever present), and the
 * entry body against the bundle (signature, certificate, payload or artifact hash). `sha256` is
 * the artifact digest (for hashedrekord), or NULL. */
int sw_sig_tlog_verify(const struct sw_sig_entry *e, int minor, const struct sw_sig_bundle *b,
                       const unsigned char *sha256, const struct sw_sigstore_root *root,
                       struct sw_error *err);
/* RFC 6962 inclusion of leaf_hash at index in a tree of size, against root (32 bytes). */
int sw_sig_merkle_verify(const unsigned char leaf_hash[32], long long index, long long size,
                         const unsigned char *hashes, size_t nhashes, const unsigned char *root,
                         struct sw_error *err);
/* A signed note (checkpoint) by `log`: signature, origin, and that it commits to tree_size and
 * root_hash. */
int sw_sig_checkpoint_verify(const char *note, const struct sw_sig_log *log, long long tree_size,
                             const unsigned char *root_hash, size_t root_len, struct sw_error *err);
/* The log of `logs` whose id is `id`, or NULL. */
const struct sw_sig_log *sw_sig_log_find(const struct sw_sig_log *logs, size_t n,
                                         const unsigned char *id, size_t id_len);

/* ---- certificate ---- */

/* Leaf checks at the signing time t: t inside the leaf validity, chain to a CA of the root whose
 * validFor contains t verified at t, digital-signature and code-signing usage, and an SCT from a
 * CT log of the root. */
int sw_sig_cert_verify(X509 *leaf, const struct sw_sigstore_root *root, long long t,
                       struct sw_error *err);
/* Chain to any CA of the root ignoring times: used to fail a foreign certificate plainly before
 * reporting that its time source is unsupported. */
int sw_sig_cert_chain_any(X509 *leaf, const struct sw_sigstore_root *root, struct sw_error *err);

/* The signer's identity from the certificate; strings are malloc'd, NULL when absent. */
struct sw_sig_identity {
    char *san;               /* the one SubjectAltName: URI, email or Fulcio username */
    char *issuer;            /* .1.8 (DER UTF8String), else .1.1 (raw) */
    char *source_repository; /* .1.12 */
    char *source_digest;     /* .1.13 */
    char *source_ref;        /* .1.14 */
};
int sw_sig_identity_read(X509 *leaf, struct sw_sig_identity *id, struct sw_error *err);
void sw_sig_identity_clear(struct sw_sig_identity *id);

/* ---- DSSE, statement, message signature ---- */

/* The envelope: in-toto payload type, PAE signed by key. */
int sw_sig_dsse_verify(const struct sw_sig_bundle *b, EVP_PKEY *key, struct sw_error *err);
/* The statement: _type, predicateType (policy), and one subject carrying an artifact digest.
 * Fills out->predicate_type and out->subject. */
int sw_sig_statement_check(const struct sw_sig_bundle *b, const struct sw_sigstore_digests *art,
                           const struct sw_sigstore_policy *policy, struct sw_provenance *out,
                           struct sw_error *err);
/* A message signature over the artifact (by its SHA-256), and the digest hint. */
int sw_sig_message_verify(const struct sw_sig_bundle *b, EVP_PKEY *key, const unsigned char *sha256,
                          struct sw_error *err);

/* ---- policy ---- */

int sw_sig_policy_check(const struct sw_sigstore_policy *p, const struct sw_sig_identity *id,
                        struct sw_error *err);

#endif
