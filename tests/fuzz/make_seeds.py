#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into tests/fuzz/corpus/<target>/ (Python stdlib only).

Seeds are hand-made shapes: unsigned or zero-signature tokens, JSON documents, base64url strings,
and JWK Sets holding only the public halves of throwaway keys (P-256, Ed25519, RSA-2048; generated
once with `openssl genpkey`, private halves never stored) plus an obviously fake shared secret
(bytes 0..31). Re-running the script rewrites the same files; scripts/fuzz.sh copies the corpus to
build/fuzz/corpus/ before fuzzing so that the fuzzer's finds never land here.
"""
import base64
import json
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent / "corpus"

EC_X = "3MW0iRk4m7sywBCOzFR92yL4pKbmQ-BfNTbejfuD1RU"
EC_Y = "VaW6XVd80N09hHL2N6eyOy2jNGkXyVcGdCkyN-UXgXo"
ED_X = "L5uUYs8_VFfoairNXnMat4zQyXArhe5XrCuTHILX_kA"
RSA_N = ("0Dos4SYyhKeSewMk-Al6jfsrv1SR3L4XyaCmVVIzhL2ZsW6ohsSGUNTs71MkMikgF5RQeLxvXfSBbJ0ya-L5quh0IZ7p"
         "D0qISAjOyxjF7nqo5ZwhaWOrp42hiViu03OBfXP5G-veYIVTyU5QKtwYcP_M1448_FxT5vh_mHpBY2_Jkg6Ab0gnPli"
         "WZqOW-sgaZoIo8BSnlYyOk8xNQh_F8XV7qSPibERoWxFBSTHgOO126kdjIdk0NoVQpaxhPbwnrIFiahIbIRMxgFNs5TY"
         "7NBwl1B7G9KP0Vb1h3qOuJDkWqg-sjxwkP9AT5GU12ZLNTb4mR6BdN7fdEbzBpihH4Q")
FAKE_SECRET = bytes(range(32))

NOW = 1_700_000_000
CLAIMS = {"iss": "https://issuer.example", "sub": "fuzz", "aud": "stackgate", "iat": NOW,
          "exp": NOW + 600}


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(obj):
    return json.dumps(obj, separators=(",", ":"))


def token(header, payload, signature=b""):
    h = header if isinstance(header, str) else compact(header)
    p = payload if isinstance(payload, str) else compact(payload)
    return f"{b64(h)}.{b64(p)}.{b64(signature)}"


def parts(header, payload, signature=b""):
    """The "header JSON \\n payload \\n signature" form the token targets also accept."""
    h = header if isinstance(header, str) else compact(header)
    p = payload if isinstance(payload, str) else compact(payload)
    return h.encode() + b"\n" + p.encode() + b"\n" + signature


EC_JWK = {"kty": "EC", "crv": "P-256", "x": EC_X, "y": EC_Y, "kid": "es", "use": "sig",
          "alg": "ES256"}
ED_JWK = {"kty": "OKP", "crv": "Ed25519", "x": ED_X, "kid": "ed", "alg": "EdDSA"}
RSA_JWK = {"kty": "RSA", "n": RSA_N, "e": "AQAB", "kid": "rs", "alg": "RS256"}


def seeds():
    es = {"alg": "ES256", "typ": "JWT", "kid": "es"}
    ed = {"alg": "EdDSA", "kid": "ed"}
    yield "base64url", {
        "empty": "",
        "two": "QQ",
        "three": "QUI",
        "four": "QUJD",
        "header": b64(compact(es)),
        "all_chars": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        "es256_sig": b64(bytes(64)),
        "trailing_bits": "QR",
        "padded": "QQ==",
        "std_alphabet": "a+b/",
        "one_mod_four": "QUJDR",
    }
    yield "jws_parse", {
        "es256": token(es, CLAIMS, bytes(64)),
        "eddsa": token(ed, CLAIMS, bytes(64)),
        "rs256": token({"alg": "RS256"}, CLAIMS, bytes(256)),
        "hs256_text_payload": token({"alg": "HS256"}, "hello", bytes(32)),
        "alg_none": token({"alg": "none"}, CLAIMS),
        "embedded_jwk": token({"alg": "ES256", "jwk": EC_JWK}, CLAIMS, bytes(64)),
        "crit": token({"alg": "ES256", "crit": ["exp"], "exp": 1}, CLAIMS, bytes(64)),
        "nested_cty": token({"alg": "ES256", "cty": "JWT"}, CLAIMS, bytes(64)),
        "jwe_shape": "eyJhbGciOiJSU0EtT0FFUCJ9.ZW5j.aXY.Y2lwaGVy.dGFn",
        "parts_es256": parts(es, CLAIMS, bytes(64)),
        "parts_duplicate_alg": parts('{"alg":"ES256","alg":"none"}', CLAIMS),
        "parts_unicode_kid": parts('{"alg":"EdDSA","kid":"\\u00e9\\ud83d\\ude00"}', "[1,2]"),
    }
    yield "jwks_parse", {
        "public": compact({"keys": [EC_JWK, ED_JWK, RSA_JWK]}),
        "skipped_entries": compact({"keys": [
            {"kty": "EC", "crv": "P-256", "x": EC_X, "y": EC_Y, "use": "enc"},
            {"kty": "OKP", "crv": "X25519", "x": ED_X},
            {"kty": "RSA", "n": b64(bytes([0xc1]) + bytes(127)), "e": "AQAB"},
            {"kty": "EC", "crv": "P-256", "x": EC_X, "y": EC_X},
            "not an object", ED_JWK]}),
        "duplicate_kid": compact({"keys": [ED_JWK, dict(EC_JWK, kid="ed")]}),
        "private_member": compact({"keys": [dict(EC_JWK, d=b64(bytes(32)))]}),
        "shared_secret": compact({"keys": [{"kty": "oct", "k": b64(FAKE_SECRET), "alg": "HS256",
                                            "kid": "hs"}]}),
        "empty": '{"keys":[]}',
    }
    yield "strict_json", {
        "empty": "{}",
        "claims": json.dumps(CLAIMS),
        "nested": '{"a":[1,-2.5e-3,true,false,null,{"b":{"c":[[]]}}],"d":"\\u00e9\\n\\""}',
        "numbers": '{"i":-9223372036854775808,"u":18446744073709551615,"d":1.5E300,"z":-0.0}',
        "duplicate": '{"a":1,"b":{"x":1,"x":2}}',
        "non_finite": '{"a":1e400}',
        "too_deep": '{"a":' * 9 + "1" + "}" * 9,
        "invalid_utf8": b'{"a":"\xc3\x28"}',
        "trailing": '{"a":1} x',
        "not_object": "[1,2,3]",
    }
    yield "verify", {
        "parts_es256": parts(es, CLAIMS, bytes(64)),
        "parts_eddsa_no_kid": parts({"alg": "EdDSA"}, CLAIMS, bytes(64)),
        "parts_es256_wrong_kid": parts({"alg": "ES256", "kid": "ed"}, CLAIMS, bytes(64)),
        "parts_rs256": parts({"alg": "RS256"}, CLAIMS, bytes(256)),
        "parts_claims_edge": parts(es, {"iss": "https://issuer.example", "aud": ["x", "stackgate"],
                                        "exp": NOW - 29, "nbf": NOW + 30, "iat": 1.7e9}, bytes(64)),
        "es256": token(es, CLAIMS, bytes(64)),
        "eddsa": token(ed, CLAIMS, bytes(64)),
        "es256_der_sig": token(es, CLAIMS, bytes.fromhex("3006020101020101")),
    }


def main():
    for target, files in seeds():
        folder = HERE / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, content in files.items():
            data = content if isinstance(content, bytes) else content.encode()
            (folder / name).write_bytes(data)


if __name__ == "__main__":
    main()
