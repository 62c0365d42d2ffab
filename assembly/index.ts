// The module's exports, one line per family (see each file for the contracts).
export { mem_alloc, mem_free } from "./common/memory";
export { last_error_arg, last_error_value } from "./common/status";
export { commonPrefixI32 as simd_common_prefix_i32 } from "./common/simd";
export { fim_fpgrowth, fim_emitted, fim_set_density_threshold } from "./fim/fpgrowth";
export { fim_select_kind_begin, fim_select_kind_index, fim_select_kind_mark } from "./fim/kinds";
export { cf_inverse_norms, cf_similarity_topk, cf_scores_topn } from "./cf/knn";
export { fim_apriori_open, fim_apriori_depth, fim_apriori_next, fim_apriori_close } from "./fim/apriori";
export { tree_bin_rows, tree_bin_blocks, tree_gather_rows, tree_begin, tree_build_histogram, tree_subtract_histogram, tree_best_splits, tree_decide, tree_partition, tree_partition_splits, tree_split_histograms } from "./tree/histogram";
export { tree_predict_margin, tree_predict_leaf, tree_predict_proba, tree_predict_scratch_bytes } from "./tree/predict";
export { tree_column_blocks, tree_exact_start, tree_exact_root, tree_exact_level, tree_exact_apply } from "./tree/exact";
export { tree_sketch_exact, tree_sketch_merge, tree_sketch_prune, tree_sketch_query, tree_sketch_cuts, tree_sketch_state_bytes, tree_sketch_open, tree_sketch_push, tree_sketch_finish, tree_sketch_bound, tree_sketch_count, tree_sketch_sorted_cuts, tree_sketch_row_weights, tree_sketch_block_cuts } from "./tree/sketch";
export { boost_gradients } from "./boost/objective";
export { boost_add_leaf_values, boost_add_code_values } from "./boost/margins";
export { tree_grown_cap, tree_grown_mask, tree_grown_out } from "./tree/grown";
export { tree_exact_tree_new, tree_exact_tree_free, tree_exact_tree_begin, tree_exact_tree_level, tree_exact_tree_layout, tree_exact_tree_add_leaf_values } from "./tree/exact-tree";
export { tree_hist_tree_new, tree_hist_tree_free, tree_hist_tree_begin, tree_hist_tree_level, tree_hist_tree_layout, tree_hist_tree_add_leaf_values } from "./tree/hist-tree";
