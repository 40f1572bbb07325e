/* cancel.c: see cancel.h. */
#include "core/cancel.h"

volatile sig_atomic_t cancel_flag = 0;
