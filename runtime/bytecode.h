/* bytecode.h - the compiled policy file (.zbc): writing a Program to bytes
 * and reading bytes back into a Program, defensively. docs/bytecode.md is the
 * format's reference. Reading checks the header, the checksum and every
 * bound; it does not verify the code (verify.h does, and bc_load runs it). */
#ifndef ZD_BYTECODE_H
#define ZD_BYTECODE_H
#include <stddef.h>
#include <stdint.h>
#include "msg.h"
#include "program.h"

enum { BC_VERSION = 6, BC_HEADER_SIZE = 32, BC_SECTION_ENTRY_SIZE = 16, BC_MAX_FILE_SIZE = 256 * 1024 * 1024 };
extern const unsigned char bc_magic[8];

typedef enum BcSection {
    SEC_STRS = 1, SEC_CONSTS, SEC_META, SEC_LOG, SEC_EVTYPES, SEC_TABLES, SEC_PARAMS, SEC_RULES,
    SEC_FUNCS, SEC_CODE, SEC_LINES, SEC_RETAIN, SEC_COUNT_PLUS_ONE
} BcSection;
const char *bc_section_name(uint32_t id);

/* Serialises p; returns a malloc'd buffer and its size, or NULL. */
unsigned char *bc_write(const Program *p, size_t *size);

/* Reads and verifies a program from bytes. On failure returns NULL and puts
 * a message ("header: ...", "section NAME: ...", "insn N: ...") in err. */
Program *bc_load(const unsigned char *data, size_t size, char *err, size_t errsize);
/* bc_load with its messages in lang ("section NAME:", "insn N:" stay as the
 * disassembler writes them). */
Program *bc_load_in(const unsigned char *data, size_t size, Lang lang, char *err, size_t errsize);
/* The same without running the verifier (for the disassembler of bad files). */
Program *bc_read(const unsigned char *data, size_t size, char *err, size_t errsize);

uint32_t bc_crc32(const unsigned char *data, size_t size);

#endif
