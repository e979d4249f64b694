// Every product the dists tool assembles, by name (`ensureDistribution('kafka')`, `cli.ts ensure kafka@3.9.1`).
import type { Recipe } from '../recipe.js';
import { cassandraRecipe } from './cassandra.js';
import { elasticsearchRecipe } from './elasticsearch.js';
import { kafkaRecipe } from './kafka.js';
import { opensearchRecipe } from './opensearch.js';
import { sparkRecipe } from './spark.js';

export const RECIPES: Readonly<Record<string, Recipe>> = {
  kafka: kafkaRecipe,
  elasticsearch: elasticsearchRecipe,
  opensearch: opensearchRecipe,
  cassandra: cassandraRecipe,
  spark: sparkRecipe,
};
