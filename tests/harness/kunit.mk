# KUnit targets; included by the top-level Makefile.
#   make kunit            the suites of tests/kunit under UML (kunit.py); "kunit: N passed, N failed"
#   make kunit-coverage   the same in a gcov build; line coverage of src/{counters,registry,render,efd_map,classify}.c
.PHONY: kunit kunit-coverage

kunit:
	tests/harness/kunit.sh

kunit-coverage:
	tests/harness/kunit.sh --coverage
