#!/usr/bin/env bash
# Asymmetric KMS keys with the AWS CLI v2 and OpenSSL (issue 13), as AWS's documentation does it:
# sign with KMS, verify offline with the public key; encrypt offline, decrypt with KMS.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# A signing key; its public key as DER SubjectPublicKeyInfo, which OpenSSL reads.
key=$(aws_ kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId --output text)
expect_eq "ECDSA_SHA_256" "$(aws_ kms describe-key --key-id "$key" --query 'KeyMetadata.SigningAlgorithms[0]' --output text)" "signing algorithms"
aws_ kms get-public-key --key-id "$key" --output text --query PublicKey | base64 --decode > ec.der
openssl pkey -pubin -inform DER -in ec.der -out ec.pem

echo -n "release v1.2.3" > message.txt
aws_ kms sign --key-id "$key" --message fileb://message.txt --message-type RAW --signing-algorithm ECDSA_SHA_256 \
  --output text --query Signature | base64 --decode > message.sig
openssl dgst -sha256 -verify ec.pem -signature message.sig message.txt
expect_eq "True" "$(aws_ kms verify --key-id "$key" --message fileb://message.txt --signature fileb://message.sig \
  --signing-algorithm ECDSA_SHA_256 --query SignatureValid --output text)" "verify"

# A signature OpenSSL cannot match: a changed message is KMSInvalidSignatureException.
echo -n "release v6.6.6" > forged.txt
expect_error KMSInvalidSignatureException aws_ kms verify --key-id "$key" --message fileb://forged.txt --signature fileb://message.sig --signing-algorithm ECDSA_SHA_256

# DIGEST: sign a SHA-256 digest computed here; OpenSSL checks it against the whole message.
openssl dgst -sha256 -binary message.txt > message.sha256
aws_ kms sign --key-id "$key" --message fileb://message.sha256 --message-type DIGEST --signing-algorithm ECDSA_SHA_256 \
  --output text --query Signature | base64 --decode > digest.sig
openssl dgst -sha256 -verify ec.pem -signature digest.sig message.txt
head -c 20 message.sha256 > short.bin
expect_error ValidationException aws_ kms sign --key-id "$key" --message fileb://short.bin --message-type DIGEST --signing-algorithm ECDSA_SHA_256

# RSA-PSS, verified by OpenSSL with the salt as long as the hash.
rsa=$(aws_ kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId --output text)
aws_ kms get-public-key --key-id "$rsa" --output text --query PublicKey | base64 --decode > rsa.der
openssl pkey -pubin -inform DER -in rsa.der -out rsa.pem
aws_ kms sign --key-id "$rsa" --message fileb://message.txt --signing-algorithm RSASSA_PSS_SHA_384 \
  --output text --query Signature | base64 --decode > pss.sig
openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -verify rsa.pem -signature pss.sig message.txt

# RSA encryption: encrypt offline with OpenSSL, decrypt with KMS (KeyId and algorithm required).
enc=$(aws_ kms create-key --key-spec RSA_3072 --key-usage ENCRYPT_DECRYPT --query KeyMetadata.KeyId --output text)
aws_ kms get-public-key --key-id "$enc" --output text --query PublicKey | base64 --decode > enc.der
openssl pkey -pubin -inform DER -in enc.der -out enc.pem
echo -n "Top Secret" > plain.txt
openssl pkeyutl -encrypt -pubin -inkey enc.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 -in plain.txt -out plain.enc
expect_eq "Top Secret" "$(aws_ kms decrypt --key-id "$enc" --encryption-algorithm RSAES_OAEP_SHA_256 --ciphertext-blob fileb://plain.enc \
  --output text --query Plaintext | base64 --decode)" "RSA decrypt"
expect_error InvalidCiphertextException aws_ kms decrypt --ciphertext-blob fileb://plain.enc --encryption-algorithm RSAES_OAEP_SHA_256

# Usage rules.
expect_error InvalidKeyUsageException aws_ kms sign --key-id "$enc" --message fileb://message.txt --signing-algorithm RSASSA_PSS_SHA_256
expect_error InvalidKeyUsageException aws_ kms encrypt --key-id "$key" --plaintext fileb://plain.txt
expect_error InvalidKeyUsageException aws_ kms generate-data-key --key-id "$rsa" --key-spec AES_256
expect_error UnsupportedOperationException aws_ kms enable-key-rotation --key-id "$rsa"

# A data key pair under a symmetric key: the private key decrypts from its blob and matches the public key.
sym=$(aws_ kms create-key --query KeyMetadata.KeyId --output text)
aws_ kms generate-data-key-pair --key-id "$sym" --key-pair-spec ECC_NIST_P384 > pair.json
python3 -c 'import json,sys,base64; d=json.load(open("pair.json")); open("pair.pub","wb").write(base64.b64decode(d["PublicKey"])); open("pair.key","wb").write(base64.b64decode(d["PrivateKeyPlaintext"])); open("pair.blob","wb").write(base64.b64decode(d["PrivateKeyCiphertextBlob"]))'
openssl pkey -inform DER -in pair.key -pubout -outform DER -out derived.pub
cmp pair.pub derived.pub
aws_ kms decrypt --ciphertext-blob fileb://pair.blob --output text --query Plaintext | base64 --decode > decrypted.key
cmp pair.key decrypted.key
expect_eq "None" "$(aws_ kms generate-data-key-pair-without-plaintext --key-id "$sym" --key-pair-spec RSA_2048 --query PrivateKeyPlaintext --output text)" "no plaintext"

# ECDH with a KEY_AGREEMENT key (the CLI v1: Debian's v2 predates DeriveSharedSecret): OpenSSL derives the same secret.
agree=$(aws_ kms create-key --key-spec ECC_NIST_P256 --key-usage KEY_AGREEMENT --query KeyMetadata.KeyId --output text)
aws_ kms get-public-key --key-id "$agree" --output text --query PublicKey | base64 --decode > agree.der
openssl pkey -pubin -inform DER -in agree.der -out agree.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out peer.pem
openssl pkey -in peer.pem -pubout -outform DER -out peer.der
openssl pkeyutl -derive -inkey peer.pem -peerkey agree.pem -out local.secret
aws1_ kms derive-shared-secret --key-id "$agree" --key-agreement-algorithm ECDH --public-key fileb://peer.der \
  --output text --query SharedSecret | base64 --decode > kms.secret
cmp local.secret kms.secret
echo "kms-asymmetric.sh: all checks passed"
