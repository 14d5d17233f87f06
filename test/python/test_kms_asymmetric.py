"""Asymmetric KMS keys with boto3 and the cryptography package (issue 13): KMS signs, the relying
party verifies offline with the public key from GetPublicKey; data key pairs; RSA encryption."""
import os

import boto3
import botocore.exceptions
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding

kms = boto3.client("kms", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    raise AssertionError(f"{call.__name__} succeeded")


# ECC_SECG_P256K1 (the curve of Ethereum and Bitcoin): sign in KMS, verify with cryptography.
key = kms.create_key(KeySpec="ECC_SECG_P256K1", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
assert key["SigningAlgorithms"] == ["ECDSA_SHA_256"], key
public = serialization.load_der_public_key(kms.get_public_key(KeyId=key["KeyId"])["PublicKey"])
assert isinstance(public.curve, ec.SECP256K1), public.curve
signature = kms.sign(KeyId=key["KeyId"], Message=b"transfer 1 coin", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
public.verify(signature, b"transfer 1 coin", ec.ECDSA(hashes.SHA256()))
assert kms.verify(KeyId=key["KeyId"], Message=b"transfer 1 coin", Signature=signature, SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"]
assert error_code(kms.verify, KeyId=key["KeyId"], Message=b"transfer 9 coins", Signature=signature, SigningAlgorithm="ECDSA_SHA_256") == "KMSInvalidSignatureException"

# RSA PKCS#1 v1.5 and PSS with SHA-512.
rsa = kms.create_key(KeySpec="RSA_4096", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
rsa_public = serialization.load_der_public_key(kms.get_public_key(KeyId=rsa["KeyId"])["PublicKey"])
for algorithm, pad in [
    ("RSASSA_PKCS1_V1_5_SHA_512", padding.PKCS1v15()),
    ("RSASSA_PSS_SHA_512", padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)),
]:
    sig = kms.sign(KeyId=rsa["KeyId"], Message=b"doc", SigningAlgorithm=algorithm)["Signature"]
    rsa_public.verify(sig, b"doc", pad, hashes.SHA512())

# RSA encryption: encrypt offline with OAEP SHA-1, decrypt with KMS.
enc = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
assert enc["EncryptionAlgorithms"] == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"], enc
enc_public = serialization.load_der_public_key(kms.get_public_key(KeyId=enc["KeyId"])["PublicKey"])
blob = enc_public.encrypt(b"Top Secret", padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
out = kms.decrypt(CiphertextBlob=blob, KeyId=enc["KeyId"], EncryptionAlgorithm="RSAES_OAEP_SHA_1")
assert out["Plaintext"] == b"Top Secret" and out["EncryptionAlgorithm"] == "RSAES_OAEP_SHA_1", out
assert error_code(kms.sign, KeyId=enc["KeyId"], Message=b"x", SigningAlgorithm="RSASSA_PSS_SHA_256") == "InvalidKeyUsageException"
assert error_code(kms.generate_data_key, KeyId=enc["KeyId"], KeySpec="AES_256") == "InvalidKeyUsageException"
assert error_code(kms.enable_key_rotation, KeyId=enc["KeyId"]) == "UnsupportedOperationException"

# A data key pair: the private key (PKCS#8 DER) belongs to the public key, and its blob decrypts to it.
sym = kms.create_key()["KeyMetadata"]
pair = kms.generate_data_key_pair(KeyId=sym["KeyId"], KeyPairSpec="ECC_NIST_P521", EncryptionContext={"app": "pairs"})
private = serialization.load_der_private_key(pair["PrivateKeyPlaintext"], password=None)
spki = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
assert spki == pair["PublicKey"]
assert kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"], EncryptionContext={"app": "pairs"})["Plaintext"] == pair["PrivateKeyPlaintext"]
assert "PrivateKeyPlaintext" not in kms.generate_data_key_pair_without_plaintext(KeyId=sym["KeyId"], KeyPairSpec="RSA_2048")
print("test_kms_asymmetric.py: all checks passed")
