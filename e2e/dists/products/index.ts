// Every product the dists tool assembles, by name (`ensureDistribution('kafka')`, `cli.ts ensure kafka@3.9.1`).
import type { Recipe } from '../recipe.js';
import { kafkaRecipe } from './kafka.js';

export const RECIPES: Readonly<Record<string, Recipe>> = {
  kafka: kafkaRecipe,
};
