/** Everything Grove exports in every runtime (the entries add the runtime's `init`). */
export { initSync } from './runtime/kernel.js';
export { GroveArgumentError, GroveDataError, GroveError, GroveKernelError, GroveNotFittedError, GroveNotInitializedError } from './runtime/errors.js';

// frequent itemsets
export { fpGrowth } from './fim/fpgrowth.js';
export { apriori } from './fim/apriori.js';
export { associationRules } from './fim/rules.js';
export type { AssociationRule, AssociationRulesOptions, RuleMetric } from './fim/rules.js';
export type { EncodedDb } from './fim/encode.js';
export type { FlatTransactions, FrequentItemset, Item, ItemsetKind, MineOptions, Transactions } from './fim/types.js';

// parsers that work on bytes in any runtime
export { FimiParser, parseFimi } from './io/fimi.js';
export { CsvBasketParser, parseCsvBaskets } from './io/baskets.js';
export type { CsvBasketOptions } from './io/baskets.js';

// evaluation
export { averagePrecision, hitRate, ndcgAtK, precisionAtK, rankingMetrics, recallAtK, reciprocalRank } from './metrics/ranking.js';
export type { ApNormalization, AveragePrecisionOptions, ByUser, RankedList, RankingMetrics, RankingMetricsOptions, RelevantItems } from './metrics/ranking.js';
export { leaveLastOut, randomHoldout } from './metrics/split.js';
export type { InteractionRows, RandomHoldoutOptions } from './metrics/split.js';
export { NumpyRandom } from './random/numpy.js';

// collaborative filtering: interaction data
export { Interactions } from './cf/interactions.js';
export type { Csr, Id as InteractionId, InteractionColumns, InteractionRecord, InteractionsOptions, Weighting } from './cf/interactions.js';
export { RatingsParser, parseRatings } from './io/ratings.js';
export type { RatingColumns, RatingsFormat, RatingsOptions } from './io/ratings.js';
export { ItemKnnRecommender } from './cf/item-knn.js';
export { UserKnnRecommender } from './cf/user-knn.js';
export type { ItemKnnOptions } from './cf/item-knn.js';
export type { UserKnnOptions } from './cf/user-knn.js';
export type { Contribution, Explanation, KnnOptions, Recommendation, RecommendOptions, Similarity, TopK } from './cf/knn.js';
export { PopularityRecommender } from './cf/popularity.js';
export { finalize, mergePairSums, pairSums, pairSumsFromBytes, pairSumsToBytes } from './cf/pair-sums.js';
export type { FinalizeOptions, ItemSimilarities, PairSums } from './cf/pair-sums.js';
export { StreamingItemCF } from './cf/streaming.js';
export type { StreamEvent, StreamingItemCFOptions } from './cf/streaming.js';
export type { PopularityOptions, PopularityWindow } from './cf/popularity.js';
export { DemographicRecommender } from './cf/demographic.js';
export type { AttributeRecord, DemographicOptions, Segment } from './cf/demographic.js';
export { ContentRecommender } from './cf/content.js';
export type { KeywordProfile } from './cf/content.js';
export { HybridRecommender } from './cf/hybrid.js';
export type { BlendPart, HybridOptions, Recommends, SwitchRule } from './cf/hybrid.js';
export { pickQuestions } from './cf/onboarding.js';
export type { Divisiveness, PickQuestionsOptions, Question } from './cf/onboarding.js';
export { ML100K_GENRES, ageBucket, parseItemAttributes, parseUserAttributes } from './io/attributes.js';
export type { ItemAttributeFormat, ItemAttributeOptions, UserAttributeFormat, UserAttributeOptions } from './io/attributes.js';
export { GradientBoostingClassifier, GradientBoostingRegressor } from './boost/gradient-boosting.js';
export type { FitOptions, ImportanceType, Label } from './boost/gradient-boosting.js';
export type { BoostParams, Proposal, TreeMethod } from './boost/params.js';
export type { EvalMetric } from './boost/eval-metrics.js';
export type { RoundInfo } from './boost/train.js';
export { featureImportance, validateModel } from './boost/model.js';
export type { BoostedModel, BoostObjective, FeatureImportance, ForestArrays, TreeArrays } from './boost/model.js';
export { modelFromBytes, modelFromJSON, modelToBytes, modelToJSON } from './boost/serialize.js';
export type { BoostedModelJSON } from './boost/serialize.js';
export { readXGBoostJSON, writeXGBoostJSON } from './interop/xgboost-json.js';
export { errorRate, logLoss, mae, multiError, multiLogLoss, r2Score, rmse, rocAuc } from './metrics/classification.js';
export type { DenseMatrix, MatrixLike } from './tree/matrix.js';
export { MISSING_TOKENS, TableParser, parseTable } from './io/table.js';
export type { NumericTable, TableColumns, TableLabel, TableOptions } from './io/table.js';
export { featureCuts, mergeSketches, pruneSketch, quantileSketch, sketchCuts, sketchQuery } from './tree/sketch.js';
export type { FeatureCuts, FeatureCutsOptions, QuantileSummary, SketchOptions } from './tree/sketch.js';
