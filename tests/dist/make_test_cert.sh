#!/usr/bin/env bash
# Makes a throw-away code-signing PKI in DIR for the dist tests: a root CA,
# a code-signing certificate it issued (in a password-protected PKCS#12, the
# form an ISP hands over), a time-stamping certificate for the local RFC 3161
# server (tsa_server.py), and the password file. Nothing here is trusted
# anywhere else; the keys live only as long as the test's temporary folder.
#
# usage: make_test_cert.sh DIR
set -euo pipefail
dir=${1:?usage: make_test_cert.sh DIR}
mkdir -p "$dir"
cd "$dir"
umask 077

cat > pki.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[codesign]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

q() { openssl "$@" 2>/dev/null; }
q req -x509 -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=mailsetup test root CA (throw-away)" -config pki.cnf -extensions ca
leaf() { # name subject extensions
  q req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" -config pki.cnf
  q x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" -days 2 \
    -extfile pki.cnf -extensions "$3"
}
leaf codesign "/C=JP/O=mailsetup test ISP/CN=mailsetup test code signing" codesign
leaf tsa "/C=JP/O=mailsetup test TSA/CN=mailsetup test time stamping" tsa

# openssl ts -reply's configuration for the local time-stamp server.
echo 01 > tsaserial
cat > tsa.cnf <<CNF
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = $PWD/tsaserial
crypto_device = builtin
signer_cert = $PWD/tsa.pem
certs = $PWD/ca.pem
signer_key = $PWD/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF

# The password is random and only ever in this file.
head -c 18 /dev/urandom | base64 | tr -d '\n/+=' > password.txt
q pkcs12 -export -inkey codesign.key -in codesign.pem -certfile ca.pem \
  -passout file:password.txt -out codesign.p12
rm -f codesign.key codesign.csr tsa.csr
echo "$dir"
