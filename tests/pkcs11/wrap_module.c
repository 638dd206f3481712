/* A test-only PKCS#11 module that forwards to SoftHSM2 and misbehaves in
 * one way, chosen at compile time:
 *   DMP_WRAP_BAD_SIGNATURE: C_Sign returns a signature with one bit flipped
 *     (a broken or malicious token: dmp-sign must never publish its wire);
 *   DMP_WRAP_PIN_LOCKED: C_Login answers CKR_PIN_LOCKED (SoftHSM2 has no
 *     PIN retry counter, so a locked PIN cannot be reached through it).
 * Never installed; the release helper loads it like any vendor module. */
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>
#include <stddef.h>

static CK_FUNCTION_LIST wrapped;
static CK_FUNCTION_LIST* real;

#ifdef DMP_WRAP_BAD_SIGNATURE
static CK_RV bad_sign(CK_SESSION_HANDLE session, CK_BYTE* data, CK_ULONG data_len,
                      CK_BYTE* signature, CK_ULONG* signature_len) {
  CK_RV rv = real->C_Sign(session, data, data_len, signature, signature_len);
  if (rv == CKR_OK && signature != NULL && *signature_len > 0) signature[0] ^= 0x01;
  return rv;
}
#endif

#ifdef DMP_WRAP_PIN_LOCKED
static CK_RV locked_login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR* pin,
                          CK_ULONG pin_len) {
  (void)session;
  (void)user;
  (void)pin;
  (void)pin_len;
  return CKR_PIN_LOCKED;
}
#endif

CK_RV C_GetFunctionList(CK_FUNCTION_LIST** out) {
  void* softhsm = dlopen(DMP_SOFTHSM_MODULE, RTLD_NOW | RTLD_LOCAL);
  if (softhsm == NULL) return CKR_GENERAL_ERROR;
  CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(softhsm, "C_GetFunctionList");
  if (get == NULL || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
  wrapped = *real;
#ifdef DMP_WRAP_BAD_SIGNATURE
  wrapped.C_Sign = bad_sign;
#endif
#ifdef DMP_WRAP_PIN_LOCKED
  wrapped.C_Login = locked_login;
#endif
  *out = &wrapped;
  return CKR_OK;
}
