// What every service shares: the environment (connection pool, secrets), masking of personal
// data, and list queries with their pages. services.h and assess.h build on it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/database.h"

namespace qiangji::services {

// Keys for personal data, loaded from the key file beside the database (created at init,
// mode 0600) or from QIANGJI_KEY (64 hex chars). Two subkeys are derived: one for AEAD
// encryption of ID numbers (XChaCha20-Poly1305), one for the keyed look-up hash (BLAKE2b).
class Secrets {
 public:
  static Result<Secrets> LoadOrCreate(const std::string& key_file);
  static Secrets FromMasterKey(const std::string& key32);  // tests
  std::string Encrypt(std::string_view plain) const;       // nonce || ciphertext
  Result<std::string> Decrypt(std::string_view sealed) const;
  std::string LookupHash(std::string_view plain) const;  // hex, 64 chars

 private:
  std::string enc_key_;
  std::string hash_key_;
};

// "110105199001011234" -> "110***********1234"; "13812345678" -> "138****5678".
std::string MaskIdNumber(std::string_view id_number);
std::string MaskPhone(std::string_view phone);

struct Env {
  storage::ConnectionPool* pool = nullptr;
  const Secrets* secrets = nullptr;
};

struct ListQuery {
  std::string under;  // division prefix to narrow to (within the caller's scope); "" = all of it
  std::string q;      // text search (name; for people also the exact ID number via its hash)
  int64_t page = 1;   // 1-based
  int64_t page_size = 50;  // 1..500
};
// Validates page/page_size/under; field errors name "page", "page_size", "under".
Status ValidateListQuery(const ListQuery& q);

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
  int64_t page = 1;
  int64_t page_size = 50;
};

}  // namespace qiangji::services
