#include "module.hpp"

#include <dlfcn.h>

#include "ck_errors.hpp"

namespace dmp::hsm::pkcs11 {

Result<std::unique_ptr<Module>> Module::load(const std::string& path) {
  // dmp-sign resolves module-name to a path in the system's module
  // directory; a relative path here would be searched by the loader.
  if (path.empty() || path.front() != '/')
    return fail(Reason::token_unavailable, "module-path",
                "must be an absolute path, got \"" + path + "\"");
  std::unique_ptr<Module> module(new Module());
  module->path_ = path;
  module->handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module->handle_ == nullptr) {
    const char* why = ::dlerror();
    return fail(
        Reason::token_unavailable, "module-path",
        "cannot load the PKCS#11 module " + path + ": " + (why != nullptr ? why : "unknown error"));
  }
  auto* get_list =
      reinterpret_cast<CK_C_GetFunctionList>(::dlsym(module->handle_, "C_GetFunctionList"));
  if (get_list == nullptr)
    return fail(Reason::token_unavailable, "module-path",
                path + " is not a PKCS#11 module (no C_GetFunctionList)");
  if (const CK_RV rv = get_list(&module->functions_); rv != CKR_OK || module->functions_ == nullptr)
    return fail(Reason::token_unavailable, "module-path",
                "C_GetFunctionList of " + path + " failed: " + ck_rv_name(rv));
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  if (const CK_RV rv = module->functions_->C_Initialize(&args); rv != CKR_OK)
    return fail(Reason::token_unavailable, "module-path",
                "C_Initialize of " + path + " failed: " + ck_rv_name(rv));
  module->initialized_ = true;
  return module;
}

Module::~Module() {
  if (initialized_) functions_->C_Finalize(nullptr);
  if (handle_ != nullptr) ::dlclose(handle_);
}

}  // namespace dmp::hsm::pkcs11
