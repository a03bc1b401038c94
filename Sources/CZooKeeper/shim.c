#include "CZooKeeper.h"
