#!/usr/bin/env bash
# Imported key material with the AWS CLI v2 and OpenSSL (issue 13), as AWS's documentation does it:
# GetParametersForImport, wrap the material with OpenSSL, ImportKeyMaterial; then delete and reimport.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
hex() { od -An -tx1 "$1" | tr -d ' \n'; }

# params KEY ALGORITHM: the wrapping public key (PEM) and the import token of KEY.
params() {
  aws_ kms get-parameters-for-import --key-id "$1" --wrapping-algorithm "$2" --wrapping-key-spec RSA_3072 > params.json
  jq -r .PublicKey params.json | base64 --decode > wrapping.der
  openssl pkey -pubin -inform DER -in wrapping.der -out wrapping.pem
  jq -r .ImportToken params.json | base64 --decode > token.bin
}

# An HMAC key with material made here: its MAC equals the HMAC OpenSSL computes over the same material.
hmac=$(aws_ kms create-key --origin EXTERNAL --key-spec HMAC_256 --key-usage GENERATE_VERIFY_MAC --query KeyMetadata.KeyId --output text)
expect_eq "PendingImport" "$(aws_ kms describe-key --key-id "$hmac" --query KeyMetadata.KeyState --output text)" "state before import"
openssl rand -out hmac-material.bin 32
params "$hmac" RSA_AES_KEY_WRAP_SHA_256
openssl rand -out aes-key.bin 32
openssl enc -id-aes256-wrap-pad -K "$(hex aes-key.bin)" -iv A65959A6 -in hmac-material.bin -out material-wrapped.bin
openssl pkeyutl -encrypt -in aes-key.bin -out aes-key-wrapped.bin -inkey wrapping.pem -pubin \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
cat aes-key-wrapped.bin material-wrapped.bin > encrypted-material.bin
aws_ kms import-key-material --key-id "$hmac" --import-token fileb://token.bin --encrypted-key-material fileb://encrypted-material.bin \
  --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE > /dev/null
expect_eq "Enabled" "$(aws_ kms describe-key --key-id "$hmac" --query KeyMetadata.KeyState --output text)" "state after import"
echo -n "order=42" > message.txt
aws_ kms generate-mac --key-id "$hmac" --message fileb://message.txt --mac-algorithm HMAC_SHA_256 --output text --query Mac | base64 --decode > kms.mac
openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(hex hmac-material.bin)" -binary message.txt > local.mac
cmp kms.mac local.mac

# A symmetric key with material wrapped by RSAES_OAEP_SHA_256 and an expiry.
key=$(aws_ kms create-key --origin EXTERNAL --query KeyMetadata.KeyId --output text)
expect_error KMSInvalidStateException aws_ kms encrypt --key-id "$key" --plaintext fileb://message.txt
openssl rand -out material.bin 32
params "$key" RSAES_OAEP_SHA_256
openssl pkeyutl -encrypt -in material.bin -out material.enc -inkey wrapping.pem -pubin \
  -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
valid_to=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
aws_ kms import-key-material --key-id "$key" --import-token fileb://token.bin --encrypted-key-material fileb://material.enc \
  --expiration-model KEY_MATERIAL_EXPIRES --valid-to "$valid_to" > /dev/null
expect_eq "KEY_MATERIAL_EXPIRES" "$(aws_ kms describe-key --key-id "$key" --query KeyMetadata.ExpirationModel --output text)" "expiration model"
aws_ kms encrypt --key-id "$key" --plaintext fileb://message.txt --output text --query CiphertextBlob | base64 --decode > blob.bin

# Deleted material: the key waits for an import and nothing decrypts; the same material brings it back.
aws_ kms delete-imported-key-material --key-id "$key"
expect_eq "PendingImport" "$(aws_ kms describe-key --key-id "$key" --query KeyMetadata.KeyState --output text)" "state after deletion"
expect_error KMSInvalidStateException aws_ kms decrypt --ciphertext-blob fileb://blob.bin
params "$key" RSAES_OAEP_SHA_256
openssl rand -out other.bin 32
openssl pkeyutl -encrypt -in other.bin -out other.enc -inkey wrapping.pem -pubin -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
expect_error IncorrectKeyMaterialException aws_ kms import-key-material --key-id "$key" --import-token fileb://token.bin \
  --encrypted-key-material fileb://other.enc --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE
openssl pkeyutl -encrypt -in material.bin -out material.enc -inkey wrapping.pem -pubin -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
aws_ kms import-key-material --key-id "$key" --import-token fileb://token.bin --encrypted-key-material fileb://material.enc \
  --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE > /dev/null
expect_eq "order=42" "$(aws_ kms decrypt --ciphertext-blob fileb://blob.bin --output text --query Plaintext | base64 --decode)" "decrypt after reimport"

# A token is bound to its key; a key of origin AWS_KMS takes no material.
own=$(aws_ kms create-key --query KeyMetadata.KeyId --output text)
expect_error UnsupportedOperationException aws_ kms get-parameters-for-import --key-id "$own" --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048
other_key=$(aws_ kms create-key --origin EXTERNAL --query KeyMetadata.KeyId --output text)
expect_error InvalidImportTokenException aws_ kms import-key-material --key-id "$other_key" --import-token fileb://token.bin \
  --encrypted-key-material fileb://material.enc --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE
echo "kms-import.sh: all checks passed"
