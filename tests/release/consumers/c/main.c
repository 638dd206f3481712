/* A C program using the installed dmpverify through pkg-config. */
#include <dmp/verify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc != 3 || strlen(argv[2]) != 64) return 2;
  FILE* f = fopen(argv[1], "rb");
  if (!f) return 2;
  char wire[2048];
  size_t len = fread(wire, 1, sizeof wire, f);
  fclose(f);
  uint8_t key[32];
  for (int i = 0; i < 32; ++i) {
    unsigned v;
    if (sscanf(argv[2] + 2 * i, "%2x", &v) != 1) return 2;
    key[i] = (uint8_t)v;
  }
  dmp_verify_options opts;
  dmp_verify_options_init(&opts);
  opts.has_now = 1;
  opts.now = 1900000000;
  dmp_record* rec = NULL;
  char why[256];
  int rc = dmp_verify(wire, len, key, sizeof key, &opts, &rec, why, sizeof why);
  if (rc != DMP_OK) {
    fprintf(stderr, "%s: %s\n", dmp_reason_name(rc), why);
    return 1;
  }
  printf("%s seq %llu (dmpverify %s)\n", dmp_record_rrset_name(rec),
         (unsigned long long)dmp_record_seq(rec), dmp_version());
  dmp_record_free(rec);
  return 0;
}
