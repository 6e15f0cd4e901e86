-- Secret values, encrypted by the server before they arrive here (AES-256-GCM, see SecretCipher); never plaintext.
CREATE TABLE secrets (
    name       TEXT NOT NULL PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
