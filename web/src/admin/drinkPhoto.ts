// A drink's photo, from the bartender's file to the drink: ask menu for a presigned POST, send
// the file straight to the image store (ADR 0009), then point the drink at it. Used by the
// editor of a saved drink and by "Add drink", which creates the drink first and then does this.

import { uploadToS3, type BarkeepApi } from "../api/barkeep";
import type { Drink } from "../api/types";

export async function uploadDrinkPhoto(
  api: BarkeepApi,
  drinkId: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<Drink> {
  const grant = await api.menuAdmin.imageUpload(drinkId, file.type);
  await uploadToS3(grant.upload, file, onProgress);
  return api.menuAdmin.updateDrink(drinkId, { image_url: grant.image_url });
}
