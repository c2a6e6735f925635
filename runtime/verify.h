/* verify.h - proves a Program safe to run before any instruction executes:
 * every index in range, every jump forward onto an instruction of the same
 * function, loops only over iterators that advance (so every evaluation
 * terminates), stack depth known and bounded at every instruction, sections
 * consistent with each other. */
#ifndef ZD_VERIFY_H
#define ZD_VERIFY_H
#include <stddef.h>
#include "msg.h"
#include "program.h"

/* Checks one function's control flow and stack; returns its maximum stack
 * depth, or -1 with a message "insn N: reason" (N function-relative), -2 when
 * it stops where the stack would hold more than ZL_MAX_STACK values (limits.h).
 * The reason is in lang.
 * Used by the code generator too. */
int verify_stack_depth(const Insn *code, uint32_t count, uint32_t nslots, int kind, Lang lang, char *err, size_t errsize);

/* Checks the whole program; returns 0, or -1 with a message naming the
 * section or instruction ("insn N: ..." with N program-wide). */
int verify_program(const Program *p, char *err, size_t errsize);
/* The same with the reason in lang (where it is stays as the disassembler
 * writes it: "insn N:", "section NAME:"). */
int verify_program_in(const Program *p, Lang lang, char *err, size_t errsize);

#endif
