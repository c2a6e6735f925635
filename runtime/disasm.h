/* disasm.h - prints a Program in readable form: header, constants, bindings,
 * parameters, the rule table with clause citations, and every instruction
 * with its synopsis and source line. */
#ifndef ZD_DISASM_H
#define ZD_DISASM_H
#include <stdio.h>
#include "program.h"

void disasm_program(const Program *p, FILE *out);
/* One instruction (index i of the program), without a newline. */
void disasm_insn(const Program *p, uint32_t i, uint32_t func_start, FILE *out);

#endif
