// Ed25519 through libsodium directly, against eddsa-jcs-2022 and eddsa-rdfc-2022 signing and
// verification of a realistic Open Badges 3.0 credential (1EdTech's skill-assertion-case
// example, 3.2 KB), each starting from serialized bytes as a server receives them.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <fstream>
#include <sstream>
#include <string>

#include "credentials/data_integrity.hpp"
#include "credentials/ed25519.hpp"
#include "credentials/jsonld.hpp"
#include "credentials/multikey.hpp"
#include "credentials/rdfc.hpp"

namespace {

using cairn::credentials::AddProof;
using cairn::credentials::Cryptosuite;
using cairn::credentials::DidKeyResolver;
using cairn::credentials::ProofOptions;
using cairn::credentials::VerifyProof;
namespace ed25519 = cairn::credentials::ed25519;
namespace multikey = cairn::credentials::multikey;

std::string CredentialText() {
  std::ifstream in(std::string(CAIRN_STANDARDS_DIR) + "/ob-v3p0/examples/skill-assertion-case.json",
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const ed25519::KeyPair& Keys() {
  static const ed25519::KeyPair keys = ed25519::KeyPairFromSeed(ed25519::Seed{1, 2, 3});
  return keys;
}

ProofOptions Options(Cryptosuite suite) {
  ProofOptions options;
  options.suite = suite;
  options.verification_method = multikey::DidKeyVerificationMethod(Keys().public_key);
  options.created = "2026-11-23T04:00:00Z";
  return options;
}

void BM_RawEd25519Sign(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  const std::string text = CredentialText();
  unsigned char sig[crypto_sign_BYTES];
  for (auto _ : state) {
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                         text.size(), Keys().secret_key.bytes().data());
    benchmark::DoNotOptimize(sig);
  }
  state.SetLabel(std::to_string(text.size()) + " bytes");
}

void BM_RawEd25519Verify(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  const std::string text = CredentialText();
  const auto* message = reinterpret_cast<const unsigned char*>(text.data());
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, message, text.size(), Keys().secret_key.bytes().data());
  for (auto _ : state) {
    const int rc = crypto_sign_verify_detached(sig, message, text.size(), Keys().public_key.data());
    if (rc != 0) state.SkipWithError("raw verification failed");
    benchmark::DoNotOptimize(rc);
  }
  state.SetLabel(std::to_string(text.size()) + " bytes");
}

void Sign(benchmark::State& state, Cryptosuite suite) {
  const std::string text = CredentialText();
  const ProofOptions options = Options(suite);
  std::size_t size = 0;
  for (auto _ : state) {
    try {
      const std::string signed_text =
          AddProof(nlohmann::json::parse(text), options, Keys().secret_key).dump();
      size = signed_text.size();
      benchmark::DoNotOptimize(signed_text.data());
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.SetLabel(std::to_string(size) + " bytes signed");
}

void Verify(benchmark::State& state, Cryptosuite suite) {
  std::string signed_text;
  try {
    signed_text = AddProof(nlohmann::json::parse(CredentialText()), Options(suite),
                           Keys().secret_key).dump();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const auto resolver = DidKeyResolver();
  for (auto _ : state) {
    const auto check = VerifyProof(nlohmann::json::parse(signed_text), resolver);
    if (!check.verified) {
      state.SkipWithError(check.error.c_str());
      break;
    }
  }
  state.SetLabel(std::to_string(signed_text.size()) + " bytes");
}

void BM_EddsaJcsSign(benchmark::State& state) { Sign(state, Cryptosuite::kEddsaJcs2022); }
void BM_EddsaJcsVerify(benchmark::State& state) { Verify(state, Cryptosuite::kEddsaJcs2022); }
void BM_EddsaRdfcSign(benchmark::State& state) { Sign(state, Cryptosuite::kEddsaRdfc2022); }
void BM_EddsaRdfcVerify(benchmark::State& state) { Verify(state, Cryptosuite::kEddsaRdfc2022); }

// Parsing alone, to show how much of a proof check is the JSON parser.
void BM_ParseSignedCredential(benchmark::State& state) {
  const std::string signed_text = AddProof(nlohmann::json::parse(CredentialText()),
                                           Options(Cryptosuite::kEddsaJcs2022), Keys().secret_key)
                                      .dump();
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(signed_text));
}

// The two stages of the eddsa-rdfc-2022 transformation of the credential, apart.
void BM_JsonLdToRdf(benchmark::State& state) {
  const nlohmann::json credential = nlohmann::json::parse(CredentialText());
  for (auto _ : state) benchmark::DoNotOptimize(cairn::credentials::jsonld::ToRdf(credential));
}

void BM_Rdfc(benchmark::State& state) {
  const auto dataset = cairn::credentials::jsonld::ToRdf(nlohmann::json::parse(CredentialText()));
  for (auto _ : state) benchmark::DoNotOptimize(cairn::credentials::rdfc::Canonicalize(dataset));
  state.SetLabel(std::to_string(dataset.size()) + " quads");
}

// Canonicalization and hashing of an already parsed credential: the suite's own work.
void HashData(benchmark::State& state, Cryptosuite suite) {
  const nlohmann::json signed_doc =
      AddProof(nlohmann::json::parse(CredentialText()), Options(suite), Keys().secret_key);
  for (auto _ : state)
    benchmark::DoNotOptimize(
        cairn::credentials::ComputeHashData(signed_doc, signed_doc["proof"]));
}
void BM_EddsaJcsHashData(benchmark::State& state) { HashData(state, Cryptosuite::kEddsaJcs2022); }
void BM_EddsaRdfcHashData(benchmark::State& state) {
  HashData(state, Cryptosuite::kEddsaRdfc2022);
}

}  // namespace

BENCHMARK(BM_EddsaJcsHashData);
BENCHMARK(BM_EddsaRdfcHashData);
BENCHMARK(BM_JsonLdToRdf);
BENCHMARK(BM_Rdfc);
BENCHMARK(BM_RawEd25519Sign);
BENCHMARK(BM_RawEd25519Verify);
BENCHMARK(BM_ParseSignedCredential);
BENCHMARK(BM_EddsaJcsSign);
BENCHMARK(BM_EddsaJcsVerify);
BENCHMARK(BM_EddsaRdfcSign);
BENCHMARK(BM_EddsaRdfcVerify);
