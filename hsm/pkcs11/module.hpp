// A PKCS#11 module loaded into this (helper) process: dlopen() of an
// absolute path, C_GetFunctionList, C_Initialize; C_Finalize and dlclose()
// when it goes out of scope. Only the helper ever loads a module: the
// static dmp-sign cannot, and must not run vendor code next to its ledger.
#pragma once

#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>

#include "dmp/result.hpp"

namespace dmp::hsm::pkcs11 {

class Module {
 public:
  // token_unavailable when the path is not absolute, the library cannot be
  // loaded, has no C_GetFunctionList, or C_Initialize fails.
  static Result<std::unique_ptr<Module>> load(const std::string& path);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  CK_FUNCTION_LIST* functions() const noexcept { return functions_; }
  const std::string& path() const noexcept { return path_; }

 private:
  Module() = default;
  void* handle_ = nullptr;
  CK_FUNCTION_LIST* functions_ = nullptr;
  bool initialized_ = false;
  std::string path_;
};

}  // namespace dmp::hsm::pkcs11
