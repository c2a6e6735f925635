/* shard.h - checking a data set in shards (docs/scale.md): `zhidu run
 * --shard I/N` checks the units whose FNV-1a 32-bit hash of the id's bytes,
 * mod N, is I (0-based), and under --format jsonl ends its report with one
 * shard record; `zhidu merge` joins the N shard reports into the jsonl report
 * of one run. */
#ifndef ZD_SHARD_H
#define ZD_SHARD_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "program.h"

/* Parses "I/N" (decimal, 0 <= I < N <= SHARD_MAX). false when malformed. */
enum { SHARD_MAX = 1000000 };
bool shard_parse(const char *text, uint32_t *index, uint32_t *count);
/* The record ending a shard's jsonl report: which shard, and which policy
 * (its name and an FNV-1a 64 hash of its bytecode). */
void shard_write_record(FILE *out, const Program *p, uint32_t index, uint32_t count);

#endif
