import type { EnvironmentDefinition } from "../../config/schema";

type TableDefinition = EnvironmentDefinition["tables"][number];
type TeamDefinition = NonNullable<EnvironmentDefinition["teams"]>[number];

/**
 * The talk's ProductCatalog table: books are ids 100-199, bicycles 200-299, partition key Id (N).
 * Shared by every shipped environment; an environment may declare its own tables instead.
 */
export const productCatalog = {
  name: "ProductCatalog",
  partitionKey: { name: "Id", type: "N" },
  globalSecondaryIndexes: [
    {
      name: "ByCategory",
      partitionKey: { name: "ProductCategory", type: "S" },
      sortKey: { name: "Price", type: "N" },
      projection: "KEYS_ONLY",
    },
  ],
  stream: "NEW_AND_OLD_IMAGES",
  dataClassification: "confidential",
} satisfies TableDefinition;

export const BOOK_ATTRIBUTES = [
  "Id",
  "Title",
  "ISBN",
  "Authors",
  "Price",
  "Dimensions",
  "PageCount",
  "inPublication",
  "ProductCategory",
];

export const BICYCLE_ATTRIBUTES = [
  "Id",
  "Title",
  "Description",
  "BicycleType",
  "Brand",
  "Price",
  "Color",
  "ProductCategory",
];

/** Alice edits books, Bob edits bicycles: each only their id range and their attributes. */
export function catalogTeams(accountId: string): TeamDefinition[] {
  return [
    {
      name: "books",
      principals: [`arn:aws:iam::${accountId}:user/Alice`],
      grants: [
        {
          table: productCatalog.name,
          access: "read-write",
          leadingKeys: { numericRange: { min: 100, max: 199 } },
          attributes: BOOK_ATTRIBUTES,
        },
      ],
    },
    {
      name: "bicycles",
      principals: [`arn:aws:iam::${accountId}:user/Bob`],
      grants: [
        {
          table: productCatalog.name,
          access: "read-write",
          leadingKeys: { numericRange: { min: 200, max: 299 } },
          attributes: BICYCLE_ATTRIBUTES,
        },
      ],
    },
  ];
}
