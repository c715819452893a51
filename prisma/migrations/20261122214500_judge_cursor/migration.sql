-- AlterTable
ALTER TABLE "Node" ADD COLUMN     "judgedThrough" TIMESTAMPTZ(3);
