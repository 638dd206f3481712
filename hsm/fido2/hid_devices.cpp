#include "hid_devices.hpp"

#include <memory>

namespace dmp::hsm::fido2 {

namespace {
constexpr std::size_t kMaxDevices = 16;
struct InfoFree {
  std::size_t count;
  void operator()(fido_dev_info_t* info) const { fido_dev_info_free(&info, count); }
};
}  // namespace

std::vector<DeviceInfo> HidDevices::list() {
  std::unique_ptr<fido_dev_info_t, InfoFree> infos(fido_dev_info_new(kMaxDevices),
                                                   InfoFree{kMaxDevices});
  std::size_t found = 0;
  std::vector<DeviceInfo> out;
  if (!infos || fido_dev_info_manifest(infos.get(), kMaxDevices, &found) != FIDO_OK) return out;
  for (std::size_t i = 0; i < found; ++i) {
    const fido_dev_info_t* info = fido_dev_info_ptr(infos.get(), i);
    const char* product = fido_dev_info_product_string(info);
    out.push_back({fido_dev_info_path(info), product != nullptr ? product : "(unnamed token)"});
  }
  return out;
}

int HidDevices::open(fido_dev_t* dev, const std::string& path) {
  return fido_dev_open(dev, path.c_str());
}

}  // namespace dmp::hsm::fido2
