/* cmd_test.h - the `zhidu test` command (cmd_test.c, docs/testing.md). */
#ifndef ZD_CMD_TEST_H
#define ZD_CMD_TEST_H

/* argv: the arguments after "test". Returns the exit code: 0 every case
 * passed, 1 some failed (or a test file is bad), 2 usage or I/O. */
int cmd_test(int argc, char **argv);

#endif
