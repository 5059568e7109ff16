/* Functions we do not use: they have no bounds or hide errors. Included by every .c file via
 * the compiler's -include flag, after the system headers that declare them. */
#ifndef BASE_BANNED_H
#define BASE_BANNED_H

#undef strcpy
#define strcpy(...) BANNED_use_memcpy_with_a_length
#undef strcat
#define strcat(...) BANNED_use_snprintf
#undef sprintf
#define sprintf(...) BANNED_use_snprintf
#undef vsprintf
#define vsprintf(...) BANNED_use_vsnprintf
#undef strncpy
#define strncpy(...) BANNED_use_memcpy_with_a_length
#undef strtok
#define strtok(...) BANNED_use_sv_helpers
#undef atoi
#define atoi(...) BANNED_use_sv_to_u32
#undef gets
#define gets(...) BANNED_use_fgets

#endif
