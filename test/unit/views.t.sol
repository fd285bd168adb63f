// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Authorship } from "../utils/Base.t.sol";

contract Views_Unit_Test is Base {
    function test_UnregisteredHashReadsAsEmpty() external view {
        assertEq(registry.authorOf(HASH), address(0));
        assertFalse(registry.isRegistered(HASH));
        assertFalse(registry.hasTrainingConsent(HASH));
        assertEq(registry.pendingAuthorOf(HASH), address(0));
    }

    function test_RecordIsOneSlot() external {
        _registerAs(alice, HASH);
        // The record's mapping is the contract's first own slot after Ownable (owner) and Ownable2Step (pending):
        // find the record's slot by scanning and check the packed word.
        Authorship.Record memory record = registry.getRecord(HASH);
        uint256 expected = uint256(uint160(alice)) | (uint256(record.registeredAt) << 160) | (uint256(1) << 208);
        bool found;
        for (uint256 base = 0; base < 16 && !found; ++base) {
            bytes32 word = vm.load(address(registry), keccak256(abi.encode(HASH, base)));
            if (uint256(word) == expected) found = true;
        }
        assertTrue(found, "packed record found in one slot");
    }

    function test_Constants() external view {
        assertEq(registry.MAX_BATCH_SIZE(), 256);
        assertEq(registry.MIN_REVEAL_DELAY(), 1 minutes);
        assertEq(registry.COMMITMENT_LIFETIME(), 1 days);
        assertEq(
            registry.domainSeparator(),
            keccak256(
                abi.encode(
                    DOMAIN_TYPEHASH,
                    keccak256("Tributary AuthorshipRegistry"),
                    keccak256("1"),
                    block.chainid,
                    address(registry)
                )
            )
        );
    }
}
