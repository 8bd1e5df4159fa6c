// Keys for personal data. One 32-byte master key (a key file of 64 hex characters, mode 0600,
// or QIANGJI_KEY) yields two subkeys through crypto_kdf, so the encryption key and the look-up
// hash key are independent: knowing hashes reveals nothing about ciphertexts and vice versa.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <sodium.h>

#include "services/internal.h"
#include "services/services.h"

namespace qiangji::services {
namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "qiangji1";
constexpr uint64_t kEncryptionSubkey = 1;
constexpr uint64_t kLookupSubkey = 2;
static_assert(crypto_kdf_KEYBYTES == 32);

Result<std::string> DecodeHexKey(std::string_view hex, std::string_view source) {
  std::string key(32, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (hex.size() != 64 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.data(),
                     hex.size(), nullptr, &len, &end) != 0 ||
      len != 32)
    return Status::FailedPrecondition(
        fmt::format("{} must hold a key of 64 hex characters", source));
  return key;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

Result<std::string> ReadKeyFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return Status::Internal(fmt::format("cannot read key file {}: {}", path, std::strerror(errno)));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return Status::FailedPrecondition(
        fmt::format("key file {} is readable by other users; run: chmod 600 {}", path, path));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Status::Internal(fmt::format("cannot read key file {}", path));
  return DecodeHexKey(Trim(text.str()), fmt::format("key file {}", path));
}

// Creates the key file exclusively (never overwrites a key: that would make every encrypted
// ID number unreadable).
Status WriteNewKeyFile(const std::string& path, const std::string& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status::Internal(
        fmt::format("cannot create key file {}: {}", path, std::strerror(errno)));
  std::string hex = internal::Hex(key) + "\n";
  bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return Status::Internal(fmt::format("cannot write key file {}", path));
  }
  return Status::Ok();
}

}  // namespace

Secrets Secrets::FromMasterKey(const std::string& key32) {
  internal::EnsureSodium();
  Secrets s;
  s.enc_key_.assign(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  s.hash_key_.assign(crypto_generichash_KEYBYTES, '\0');
  auto master = reinterpret_cast<const unsigned char*>(key32.data());
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(s.enc_key_.data()), s.enc_key_.size(),
                             kEncryptionSubkey, kKdfContext, master);
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(s.hash_key_.data()),
                             s.hash_key_.size(), kLookupSubkey, kKdfContext, master);
  return s;
}

Result<Secrets> Secrets::LoadOrCreate(const std::string& key_file) {
  internal::EnsureSodium();
  if (const char* env = std::getenv("QIANGJI_KEY"); env != nullptr && *env != '\0') {
    QJ_ASSIGN_OR_RETURN(std::string key, DecodeHexKey(Trim(env), "QIANGJI_KEY"));
    return FromMasterKey(key);
  }
  if (key_file.empty())
    return Status::FailedPrecondition("no key file given and QIANGJI_KEY unset");
  if (::access(key_file.c_str(), F_OK) != 0) {
    std::string key(32, '\0');
    randombytes_buf(key.data(), key.size());
    Status written = WriteNewKeyFile(key_file, key);
    // Another process may have created it first; then read theirs.
    if (!written.ok() && ::access(key_file.c_str(), F_OK) != 0) return written;
    if (written.ok()) return FromMasterKey(key);
  }
  QJ_ASSIGN_OR_RETURN(std::string key, ReadKeyFile(key_file));
  return FromMasterKey(key);
}

std::string Secrets::Encrypt(std::string_view plain) const {
  const size_t nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(nonce_len + plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* buf = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(buf, nonce_len);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      buf + nonce_len, &clen, reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      nullptr, 0, nullptr, buf, reinterpret_cast<const unsigned char*>(enc_key_.data()));
  out.resize(nonce_len + clen);
  return out;
}

Result<std::string> Secrets::Decrypt(std::string_view sealed) const {
  const size_t nonce_len = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  const size_t tag_len = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < nonce_len + tag_len) return Status::Internal("encrypted value is truncated");
  std::string out(sealed.size() - nonce_len - tag_len, '\0');
  unsigned long long mlen = 0;
  auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, in + nonce_len,
          sealed.size() - nonce_len, nullptr, 0, in,
          reinterpret_cast<const unsigned char*>(enc_key_.data())) != 0)
    return Status::Internal(
        "cannot decrypt personal data: the key file does not match this database");
  out.resize(mlen);
  return out;
}

std::string Secrets::LookupHash(std::string_view plain) const {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(plain.data()),
                     plain.size(), reinterpret_cast<const unsigned char*>(hash_key_.data()),
                     hash_key_.size());
  return internal::Hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

// Masks keep what a clerk needs to tell two records apart (region and last four digits),
// nothing that identifies the person on its own.
std::string MaskIdNumber(std::string_view id) {
  if (id.empty()) return "";
  if (id.size() < 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 3)) + std::string(id.size() - 7, '*') +
         std::string(id.substr(id.size() - 4));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.empty()) return "";
  if (phone.size() < 8) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

}  // namespace qiangji::services
