/* The text every secret's regex branch holds: redact.c builds both its
 * alternation and its pre-check from these, test-redact.c its lines.
 * A list L is L(W, OR): each item W("..."), OR between items (regex:
 * W(w) w, OR "|"), with no item a prefix of another, so the regex
 * alternation means the same whatever the order. */
#ifndef TSBLOG_REDACT_H
#define TSBLOG_REDACT_H

#include <stddef.h>

#define JWT_START "eyJ"
#define TOKEN_WORDS(W, OR) W("bearer") OR W("basic")
#define PEM_BEGIN "-----BEGIN "
/* base64 of "-----BEGIN": kubeconfig client-key-data and friends */
#define PEM64_BEGIN "LS0tLS1CRUdJTi"
#define KEY_WORDS(W, OR) W("client-key-data") OR \
	W("client-certificate-data") OR W("id-token") OR W("id_token") OR \
	W("refresh-token") OR W("refresh_token") OR W("access-token") OR \
	W("access_token") OR W("secretkey") OR W("secret-key") OR \
	W("secret_key") OR W("password") OR W("passwd")
/* The last letters of KEY_WORDS and AWS_WORDS, and the letters before
 * them: key_at() rules out every other ':' and '=' at once (test-redact
 * checks the lists). */
#define KEY_LAST_LETTERS "adny"
#define KEY_NEXT_TO_LAST_LETTERS "ertw"
#define AWS_IDS(W, OR) W("AKIA") OR W("ASIA")
/* The letter before each AWS_IDS' 'I' and the second letter of each
 * TOKEN_WORDS (any case): redact_maybe() asks an anchor's neighbours for
 * them (test-redact checks both lists). */
#define AWS_I_AFTER "KS"
#define TOKEN_SECOND_LETTERS "ae"
#define AWS_WORDS(W, OR) W("aws_secret_access_key") OR \
	W("secret_access_key") OR W("aws_session_token")
#define JWK_MEMBERS(W, OR) W("d") OR W("p") OR W("q") OR W("dp") OR \
	W("dq") OR W("qi") OR W("k")
/* Their last letters, for member_at() as KEY_LAST_LETTERS is for
 * key_at(); each member is one or two letters (test-redact checks
 * both). */
#define JWK_LAST_LETTERS "dikpq"
/* In UTF mode (?i) also folds U+017F (long s) to s and U+212A (Kelvin
 * sign) to k: PCRE2 10.42 has no other non-ASCII fold of an ASCII
 * letter (test-redact checks). */
#define ASCII_FOLDS(W, OR) W("\xc5\xbf") OR W("\xe2\x84\xaa")

/* 0 when no branch of the redaction alternation can match anywhere in
 * [s, s+n) (s may be NULL when n is 0); 1 when one may. */
int redact_maybe(const char *s, size_t n);

#endif
