#include "CTracegateShims.h"
