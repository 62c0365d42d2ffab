// The module's exports, one line per family (see each file for the contracts).
export { mem_alloc, mem_free } from "./common/memory";
export { last_error_arg, last_error_value } from "./common/status";
export { fim_fpgrowth, fim_emitted } from "./fim/fpgrowth";
export { fim_apriori, statCand, statCandBlocks, statPush, statPushBlocks } from "./fim/apriori";
